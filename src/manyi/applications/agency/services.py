"""The agency's side of an application: its recommendation (推荐意见) and its seal.

The recommendation moves the application through the one door, ``move_application``; the
quota is counted under a lock of the agency's row so two staff recommending at once cannot
both take the last place.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.applications import access
from manyi.applications.agency.selectors import quota_used
from manyi.applications.evidence import check_evidence_file
from manyi.applications.models import AgencySeal, Application, Decision, Recommendation
from manyi.applications.services import move_application
from manyi.applications.states import Status
from manyi.campaigns.selectors import quota_of
from manyi.common.files import remove_private, stored_upload
from manyi.common.services import log_activity


def recommend(
    *, application: Application, by, decision: str, opinion: str, signer: str, signed_on
) -> Recommendation:
    """The agency's opinion: recommend (within its quota), do not recommend, or return with reasons.

    Recommending an engineering application needs the client's appraisal received; returning it
    or not recommending it does not.
    """
    access.RECOMMEND.require(by, application)
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写推荐单位意见")})
    if not signer.strip():
        raise ValidationError({"signer": _("请填写签字人")})
    target = {
        Decision.RECOMMEND: Status.RECOMMENDED,
        Decision.NOT_RECOMMEND: Status.NOT_RECOMMENDED,
        Decision.RETURN: Status.RETURNED,
    }[decision]
    with transaction.atomic():
        agency = access.recommending_agency(application)
        if decision == Decision.RECOMMEND:
            # Only "recommend" needs an engineering client's appraisal (续表4-4) received.
            access.RECOMMEND_FAVOURABLY.require(by, application)
            # Lock the agency's row so two staff recommending at once cannot both pass the quota.
            type(agency).objects.select_for_update().get(pk=agency.pk)
            quota = quota_of(application.campaign, agency, application.category)
            used = quota_used(application.campaign, agency, application.category)
            if quota <= 0:
                # No places at all: say so, and which agencies have places (not "0/0 used").
                from manyi.applications.submission import no_places_message

                raise ValidationError(
                    no_places_message(application.campaign, agency, application.category)
                )
            if used >= quota:
                raise ValidationError(
                    _("本类别推荐名额已用完（%(used)d/%(quota)d），不能再推荐")
                    % {"used": used, "quota": quota}
                )
        move_application(application=application, to=target, by=by, reason=opinion)
        return Recommendation.objects.create(
            application=application,
            agency=agency,
            decision=decision,
            opinion=opinion.strip(),
            signer=signer.strip(),
            signed_on=signed_on,
            created_by=by,
        )


def save_seal(*, agency, by, upload):
    """The agency's seal image (PNG or JPEG), replacing any earlier one."""
    if not access.holds_role_in(by, agency, Role.AGENCY_STAFF):
        raise access.not_allowed()
    content_type, suffix = check_evidence_file(upload, max_bytes=2 * 1024 * 1024)
    if content_type == "application/pdf":
        raise ValidationError(_("公章须为 PNG 或 JPEG 图片"))
    with (
        stored_upload(upload, folder="seals", suffix=suffix) as (stored, digest, _size),
        transaction.atomic(),
    ):
        old = AgencySeal.objects.filter(agency=agency).first()
        old_path = old.file_path if old else ""
        seal, _created = AgencySeal.objects.update_or_create(
            agency=agency,
            defaults={
                "file_path": stored,
                "content_type": content_type,
                "sha256": digest,
                "uploaded_by": by,
            },
        )
        log_activity(
            actor=by,
            action="agency.seal_upload",
            obj=agency,
            organisation=agency,
            after={"sha256": digest},
        )
        if old_path:
            transaction.on_commit(lambda: remove_private(old_path))
    return seal
