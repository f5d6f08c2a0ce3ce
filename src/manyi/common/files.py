"""Private files: uploads stored under random names outside any public web root.

Only the code that stores a file knows where it is; views serve it after an access check.
A file whose import fails is removed again, so a rejected upload leaves nothing behind.
"""

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


def private_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def store_upload(upload: UploadedFile, *, folder: str, suffix: str) -> tuple[str, str, int]:
    """Write an upload to MEDIA_ROOT/folder/<random><suffix>; returns (relative path, sha256, size)."""
    relative = f"{folder}/{secrets.token_hex(16)}{suffix}"
    target = private_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(target, "xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    target.chmod(0o640)
    return relative, digest.hexdigest(), size


def private_path(relative: str) -> Path:
    """The absolute path of a stored file; refuses anything that escapes the private root."""
    root = private_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("path escapes the private root")
    return path


def remove_private(relative: str) -> None:
    if relative:
        private_path(relative).unlink(missing_ok=True)


def sha256_of(relative: str) -> str:
    digest = hashlib.sha256()
    with open(private_path(relative), "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def stored_upload(
    upload: UploadedFile, *, folder: str, suffix: str
) -> Iterator[tuple[str, str, int]]:
    """Store an upload for the duration of a block that records it; if the block fails, the
    file is removed again, so a refused or failed save leaves nothing behind."""
    relative, digest, size = store_upload(upload, folder=folder, suffix=suffix)
    try:
        yield relative, digest, size
    except BaseException:
        remove_private(relative)
        raise
