"""Evidence files of every supervision case: one check, one store, one log entry.

A file is accepted only if its bytes are a genuine PDF, JPEG or PNG
(`applications.evidence.check_evidence_file`); it is stored under a random name only inside
the transaction that records it, so a refusal or a failure leaves no file behind.
"""

from django.db import transaction
from django.http import FileResponse, Http404

from manyi.common.files import private_path, stored_upload
from manyi.common.services import log_activity
from manyi.supervision.models import EVIDENCE_OWNERS, Evidence

FOLDER = "supervision"


def attach_evidence(*, owner, upload, by, description: str = "") -> Evidence:
    """Check `upload` and attach it to `owner` (a SpotCheckItem, Revisit, Complaint, Revocation
    or Violation). `by` is None for a member of the public (a complainant).

    Raises ValidationError (nothing stored) when the file is not a genuine PDF/JPEG/PNG.
    Side effects: the file under `private/supervision/`, an Evidence row, an activity-log
    entry "supervision.evidence" — all or nothing.
    """
    from manyi.applications.evidence import check_evidence_file

    field = _owner_field(owner)
    content_type, suffix = check_evidence_file(upload)
    with (
        stored_upload(upload, folder=FOLDER, suffix=suffix) as (path, digest, size),
        transaction.atomic(),
    ):
        evidence = Evidence.objects.create(
            **{field: owner},
            path=path,
            name=(upload.name or "")[:200],
            content_type=content_type,
            sha256=digest,
            size=size,
            description=(description or "").strip()[:200],
            uploaded_by=by,
        )
        log_activity(
            actor=by,
            action="supervision.evidence",
            obj=owner,
            after={"evidence": evidence.pk, "name": evidence.name, "sha256": digest},
        )
    return evidence


def open_evidence(*, evidence: Evidence, by) -> FileResponse:
    """The stored file for `by` (already allowed by the caller's selector), logged
    "supervision.evidence_download": evidence is personal data about an organisation."""
    response = evidence_response(evidence)
    log_activity(actor=by, action="supervision.evidence_download", obj=evidence)
    return response


def evidence_response(evidence: Evidence) -> FileResponse:
    """The stored file, as an attachment under its original name."""
    path = private_path(evidence.path)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.name or path.name,
        content_type=evidence.content_type,
    )


def _owner_field(owner) -> str:
    name = owner._meta.model_name
    field = {
        "spotcheckitem": "spot_check_item",
        "revisit": "revisit",
        "complaint": "complaint",
        "revocation": "revocation",
        "violation": "violation",
    }.get(name)
    if field not in EVIDENCE_OWNERS:
        raise TypeError(f"evidence cannot be attached to {name}")
    return field
