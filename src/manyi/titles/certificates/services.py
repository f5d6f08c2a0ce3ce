"""Certificates, plaques, the association's seal and the titles' expiry (DOMAIN.md step 12;
Art. 25: a title is only ever used with its year).

- `export_certificate_pdf` / `export_plaque_pdf`: the certificate (landscape A4, the year
  printed prominently, the number, validity, the association's name and seal, a QR code of the
  public verification page) and the plaque's wording as a printable sheet. Each download is a
  sensitive export and is logged.
- `save_association_seal`: the association administrator's seal image, stamped on every
  certificate (kept in `applications.AgencySeal`, keyed on the association's organisation).
- `expire_titles`: the daily task's work: valid titles whose validity has passed become
  expired, each logged.
"""

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.applications.evidence import check_evidence_file
from manyi.applications.models import AgencySeal
from manyi.common.files import private_path, remove_private, stored_upload
from manyi.common.pdf import OFFICIAL_LANGUAGE, render_pdf
from manyi.common.services import log_activity
from manyi.titles.access import DOWNLOAD_CERTIFICATE, UPLOAD_ASSOCIATION_SEAL
from manyi.titles.certificates.selectors import association
from manyi.titles.models import Title, TitleStatus

SEAL_MAX_BYTES = 2 * 1024 * 1024


def verify_url(number: str) -> str:
    """The public verification page of a number, as printed in the certificate's QR code."""
    return settings.SITE_URL.rstrip("/") + reverse("titles:verify", args=[number])


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data URI (segno; error correction M, dark on white)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def title_name(title: Title) -> str:
    """The title as printed: 广州市用户满意产品 (always in Chinese)."""
    with translation.override(OFFICIAL_LANGUAGE):
        return _("广州市%(category)s") % {"category": title.get_category_display()}


def seal_data_uri(organisation) -> str:
    """The organisation's seal image as a data URI, or "" when it has none (or its file is
    gone)."""
    if organisation is None:
        return ""
    seal = AgencySeal.objects.filter(agency=organisation).first()
    if seal is None:
        return ""
    try:
        content = private_path(seal.file_path).read_bytes()
    except (OSError, ValueError):
        return ""
    return f"data:{seal.content_type};base64,{base64.b64encode(content).decode('ascii')}"


def certificate_context(title: Title) -> dict:
    issuer = association()
    url = verify_url(title.number)
    return {
        "title": title,
        "title_name": title_name(title),
        "names_subject": title.subject != title.organisation.name,
        "issuer": issuer.name if issuer else _("广州市质量协会"),
        "seal_src": seal_data_uri(issuer),
        "verify_url": url,
        "qr_src": qr_data_uri(url),
        "void": title.status != TitleStatus.VALID,
    }


def certificate_pdf(title: Title) -> bytes:
    with translation.override(OFFICIAL_LANGUAGE):
        return render_pdf("titles/certificates/certificate_pdf.html", certificate_context(title))


def plaque_pdf(title: Title) -> bytes:
    with translation.override(OFFICIAL_LANGUAGE):
        return render_pdf("titles/certificates/plaque_pdf.html", certificate_context(title))


def export_certificate_pdf(*, title: Title, by) -> bytes:
    """The certificate as PDF. Side effects: an activity-log entry ("title.export_certificate")."""
    DOWNLOAD_CERTIFICATE.require(by, title)
    pdf = certificate_pdf(title)
    log_activity(
        actor=by,
        action="title.export_certificate",
        obj=title,
        organisation=title.organisation,
        after={"number": title.number, "status": title.status},
    )
    return pdf


def export_plaque_pdf(*, title: Title, by) -> bytes:
    """The plaque's wording as a printable PDF. Side effects: an activity-log entry."""
    DOWNLOAD_CERTIFICATE.require(by, title)
    pdf = plaque_pdf(title)
    log_activity(
        actor=by,
        action="title.export_plaque",
        obj=title,
        organisation=title.organisation,
        after={"number": title.number},
    )
    return pdf


def save_association_seal(*, by, upload) -> AgencySeal:
    """The association's seal (PNG or JPEG), replacing any earlier one.

    Side effects, in order: the file stored (removed again if anything fails), the seal row,
    an activity-log entry ("association.seal_upload"), the old file removed after commit.
    """
    issuer = association()
    UPLOAD_ASSOCIATION_SEAL.require(by, issuer)
    if issuer is None:
        raise ValidationError(_("系统中没有广州市质量协会的单位信息"))
    content_type, suffix = check_evidence_file(upload, max_bytes=SEAL_MAX_BYTES)
    if content_type == "application/pdf":
        raise ValidationError(_("公章须为 PNG 或 JPEG 图片"))
    with (
        stored_upload(upload, folder="seals", suffix=suffix) as (stored, digest, _size),
        transaction.atomic(),
    ):
        old = AgencySeal.objects.filter(agency=issuer).first()
        old_path = old.file_path if old else ""
        seal, _created = AgencySeal.objects.update_or_create(
            agency=issuer,
            defaults={
                "file_path": stored,
                "content_type": content_type,
                "sha256": digest,
                "uploaded_by": by,
            },
        )
        log_activity(
            actor=by,
            action="association.seal_upload",
            obj=issuer,
            organisation=issuer,
            before={"sha256": old.sha256} if old else None,
            after={"sha256": digest},
        )
        if old_path:
            transaction.on_commit(lambda: remove_private(old_path))
    return seal


def expire_titles(*, today=None) -> int:
    """Mark every valid title whose validity ended before `today` as expired, since the day
    after its last valid day. Side effects: per title, the status change (only if it is still
    valid: a revocation at the same moment wins) and an activity-log entry ("title.expire").
    Returns how many titles expired."""
    from datetime import timedelta

    today = today or timezone.localdate()
    expired = 0
    due = Title.objects.filter(status=TitleStatus.VALID, valid_until__lt=today).select_related(
        "organisation"
    )
    for title in due.iterator():
        since = title.valid_until + timedelta(days=1)
        with transaction.atomic():
            changed = Title.objects.filter(pk=title.pk, status=TitleStatus.VALID).update(
                status=TitleStatus.EXPIRED, status_since=since
            )
            if not changed:
                continue
            log_activity(
                actor=_("系统"),
                action="title.expire",
                obj=title,
                organisation=title.organisation,
                before={"status": TitleStatus.VALID, "status_since": title.status_since},
                after={"status": TitleStatus.EXPIRED, "status_since": since},
            )
        expired += 1
    return expired
