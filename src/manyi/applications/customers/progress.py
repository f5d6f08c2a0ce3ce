"""Progress of a customer-list import, for the polling page.

The check (reading the file) happens outside any transaction: it takes a second or two for
100 000 rows and must not hold SQLite's write lock; the list's ``progress`` column is updated
and committed before and after it. The insert happens inside one transaction, and a row updated
in an open transaction is invisible to the polling page on SQLite and PostgreSQL alike. A second
database connection does not help on SQLite (it would wait for the import's own write lock), and
the cache does not help without Redis (the default cache is a table in the same database,
written through the same connection, so inside the same transaction). So while the transaction
is open, progress goes to a small note file next to the stored upload under MEDIA_ROOT: every
process that may run the import or serve the page already shares MEDIA_ROOT, because the worker
reads the upload the web process stored there. The note is removed when the import ends; the
committed row then says 100.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path, PurePosixPath

from manyi.applications.models import CustomerList, CustomerListStatus
from manyi.common.files import private_path

# Committed progress: 0 queued, STARTED reading, CHECKED the file is valid and the insert
# begins. Between CHECKED and 100 the note file speaks (see the module docstring). The check
# takes about two thirds of the time (benchmarks/customer_import.py: 1.4 s of 2.1 s for
# 100 000 rows), the insert the rest.
PROGRESS_STARTED = 1
PROGRESS_CHECKED = 65
PROGRESS_DONE = 100


def progress_note_path(customer_list: CustomerList) -> Path | None:
    if not customer_list.file_path:
        return None
    return private_path(str(PurePosixPath(customer_list.file_path).with_suffix(".progress")))


def write_progress_note(path: Path | None, percent: int) -> None:
    if path is None:
        return
    partial = path.with_suffix(".progress-partial")
    partial.write_text(str(percent), encoding="ascii")
    os.replace(partial, path)  # readers see the old number or the new one, never half


def import_progress(customer_list: CustomerList) -> int:
    """0–100 for the polling page: the committed column, or the note while the insert runs."""
    if customer_list.status != CustomerListStatus.CHECKING:
        return PROGRESS_DONE
    percent = customer_list.progress
    path = progress_note_path(customer_list)
    if path is not None:
        # No note yet, or gone because the import has just ended: the column speaks.
        with contextlib.suppress(OSError, ValueError):
            percent = max(percent, int(path.read_text(encoding="ascii") or 0))
    return min(percent, PROGRESS_DONE)
