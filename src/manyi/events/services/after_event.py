"""What an event leaves behind: its materials, the practices shared at it, and the
registrations with attendance for the organiser.

Materials are public once the event is (the upload form says so); a file is checked by
content (`events.materials`) before anything is stored, and stored only inside the
transaction that records it, so a refusal or a failure leaves no file behind.
"""

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import OrgKind
from manyi.common.files import remove_private, stored_upload
from manyi.common.services import log_activity
from manyi.events import selectors
from manyi.events.access import ADD_MATERIAL, ADD_SHARE, EXPORT, REMOVE_MATERIAL, REMOVE_SHARE
from manyi.events.materials import check_material_file
from manyi.events.models import Event, EventMaterial, PracticeShare

FOLDER = "events"


def add_material(*, event: Event, by, title: str, upload) -> EventMaterial:
    """Attach a material (slides, minutes, photos) to an event that is not cancelled.

    Refused (ValidationError, nothing stored): no title or file; a file that is not a genuine
    PDF, Office document (.docx/.pptx/.xlsx) or JPEG/PNG, or is over 20 MB. Side effects, all
    or nothing: the file under `private/events/`; the EventMaterial; an activity-log entry
    "event.material_add".
    """
    ADD_MATERIAL.require(by, event)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写资料名称")
    if upload is None:
        errors["file"] = _("请选择要上传的文件")
    if errors:
        raise ValidationError(errors)
    try:
        content_type, suffix = check_material_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with (
        stored_upload(upload, folder=FOLDER, suffix=suffix) as (path, digest, size),
        transaction.atomic(),
    ):
        material = EventMaterial.objects.create(
            event=event,
            title=title[:200],
            file=path,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=size,
            sha256=digest,
            uploaded_by=by,
        )
        log_activity(
            actor=by,
            action="event.material_add",
            obj=event,
            organisation=event.organiser,
            after={"material": material.pk, "title": material.title, "sha256": digest},
        )
    return material


def remove_material(*, material: EventMaterial, by) -> None:
    """Take a material off an event. Side effects: the row deleted and an activity-log entry
    "event.material_remove"; the stored file removed once the deletion is committed."""
    event = material.event
    REMOVE_MATERIAL.require(by, event)
    path = material.file
    with transaction.atomic():
        log_activity(
            actor=by,
            action="event.material_remove",
            obj=event,
            organisation=event.organiser,
            before={"material": material.pk, "title": material.title, "sha256": material.sha256},
        )
        material.delete()
        transaction.on_commit(lambda: remove_private(path))


def add_share(
    *,
    event: Event,
    by,
    speaker: str,
    title: str,
    organisation=None,
    organisation_name: str = "",
    summary: str = "",
    article=None,
) -> PracticeShare:
    """Record who shared which practice at the event: a registered organisation, or one named
    in words; optionally the good-practice article about it on the public site.

    Refused (ValidationError): no speaker, title or organisation; an organisation that is
    neither an enterprise nor an agency; an article that is not a published good practice.
    Side effects: the PracticeShare; an activity-log entry "event.share_add".
    """
    ADD_SHARE.require(by, event)
    speaker, title = (speaker or "").strip(), (title or "").strip()
    organisation_name = (organisation_name or "").strip()
    errors = {}
    if organisation is not None:
        if organisation.kind not in (OrgKind.ENTERPRISE, OrgKind.AGENCY):
            errors["organisation"] = _("分享单位应为企业或推进机构")
        organisation_name = organisation.name
    elif not organisation_name:
        errors["organisation_name"] = _("请选择分享单位，或填写单位名称")
    if not speaker:
        errors["speaker"] = _("请填写分享人")
    if not title:
        errors["title"] = _("请填写经验题目")
    if article is not None and not selectors.practice_articles().filter(pk=article.pk).exists():
        errors["article"] = _("只能关联已发布的先进经验文章")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        share = PracticeShare.objects.create(
            event=event,
            organisation=organisation,
            organisation_name=organisation_name[:200],
            speaker=speaker[:60],
            title=title[:200],
            summary=(summary or "").strip(),
            article=article,
            recorded_by=by,
        )
        log_activity(
            actor=by,
            action="event.share_add",
            obj=event,
            organisation=event.organiser,
            after={
                "share": share.pk,
                "organisation": share.organisation_name,
                "speaker": share.speaker,
                "title": share.title,
            },
        )
    return share


def remove_share(*, share: PracticeShare, by) -> None:
    """Delete a practice share recorded by mistake. Side effects: the row deleted; an
    activity-log entry "event.share_remove" with what it said."""
    event = share.event
    REMOVE_SHARE.require(by, event)
    with transaction.atomic():
        log_activity(
            actor=by,
            action="event.share_remove",
            obj=event,
            organisation=event.organiser,
            before={
                "share": share.pk,
                "organisation": share.organisation_name,
                "speaker": share.speaker,
                "title": share.title,
            },
        )
        share.delete()


def export_registrations(*, event: Event, by) -> bytes:
    """The event's registrations with attendance as an Excel workbook, mobiles in full (the
    organiser needs them to reach people). Side effect: an activity-log entry
    "event.registrations_export" (personal data left the system)."""
    from manyi.events.exports import registrations_workbook

    EXPORT.require(by, event)
    registrations = selectors.registrations_of(event).select_related("checked_in_by")
    buffer = io.BytesIO()
    count = registrations_workbook(event, registrations, buffer)
    with transaction.atomic():
        log_activity(
            actor=by,
            action="event.registrations_export",
            obj=event,
            organisation=event.organiser,
            after={"rows": count, "at": timezone.now()},
        )
    return buffer.getvalue()
