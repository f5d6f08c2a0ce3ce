"""API keys of a survey firm, and the batches of answers its own system posts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.fieldwork.access import MANAGE_API_TOKENS, survey_not_in_field
from manyi.fieldwork.api.authentication import hash_key, new_key
from manyi.fieldwork.models import FirmApiToken, Response, SampledContact, SurveyStatus
from manyi.fieldwork.responses import AlreadyAnswered, check_answers, record_response


def create_token(*, firm, name: str, by) -> tuple[FirmApiToken, str]:
    """A new key for the firm's system; the key itself is returned once and never stored.

    Side effects: the FirmApiToken (hash and prefix); an activity-log entry `api_token.create`.
    """
    MANAGE_API_TOKENS.require(by, firm)
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError(_("请填写密钥用途"))
    key = new_key()
    with transaction.atomic():
        token = FirmApiToken.objects.create(
            firm=firm, name=name, prefix=key[:8], key_hash=hash_key(key), created_by=by
        )
        log_activity(
            actor=by, action="api_token.create", obj=token, organisation=firm, after={"name": name}
        )
    return token, key


def revoke_token(*, token: FirmApiToken, by) -> FirmApiToken:
    """Side effects: revoked_at set (claimed once); an activity-log entry `api_token.revoke`."""
    MANAGE_API_TOKENS.require(by, token.firm)
    with transaction.atomic():
        if not FirmApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        ):
            raise ValidationError(_("该密钥已作废"))
        log_activity(actor=by, action="api_token.revoke", obj=token, organisation=token.firm)
    token.refresh_from_db()
    return token


def _messages(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _stored_id(survey, external_id: str) -> int | None:
    return (
        Response.objects.filter(survey=survey, external_id=external_id)
        .values_list("pk", flat=True)
        .first()
    )


def _result(external_id: str, status: str, pk=None, errors=None) -> dict:
    return {"external_id": external_id, "status": status, "id": pk, "errors": errors or {}}


def post_responses(*, survey, principal, items: list[dict]) -> list[dict]:
    """Store each answered questionnaire of a batch; one result per item, in order.

    Idempotent by the firm's own id: an `external_id` already stored for this survey is
    "duplicate" with the stored id (also when two posts race: the database constraint decides).
    Each stored item goes through `record_response` (its own log entry); an item with errors
    stores nothing and does not stop the others.
    """
    if survey.status != SurveyStatus.IN_FIELD:
        raise survey_not_in_field()
    actor = principal.display_name
    contacts = SampledContact.objects.filter(
        survey=survey, pk__in=[item["contact_id"] for item in items]
    ).select_related("survey__questionnaire", "survey__application__organisation")
    contacts = {c.pk: c for c in contacts}
    results = []
    for item in items:
        external_id = item["external_id"]
        existing = _stored_id(survey, external_id)
        if existing:
            results.append(_result(external_id, "duplicate", existing))
            continue
        contact = contacts.get(item["contact_id"])
        try:
            if contact is None:
                raise ValidationError({"contact_id": [_("该样本不属于本调查")]})
            answers = check_answers(survey, item["answers"], form_fields=False)
            response = record_response(
                contact=contact,
                answers=answers,
                channel="api",
                started_at=item["started_at"],
                submitted_at=item["submitted_at"],
                actor_label=actor,
                external_id=external_id,
            )
        except AlreadyAnswered:
            # Either the same item posted by a request at the same moment (a duplicate), or
            # another external id for a contact whose answers are already stored (a conflict).
            stored = _stored_id(survey, external_id)
            if stored:
                results.append(_result(external_id, "duplicate", stored))
            else:
                errors = {"contact_id": [_("该样本已有另一份回答，不能重复提交")]}
                results.append(_result(external_id, "error", errors=errors))
        except ValidationError as exc:
            results.append(_result(external_id, "error", errors=_messages(exc)))
        except IntegrityError:
            # The same external id stored for another contact by a request at the same moment.
            stored = _stored_id(survey, external_id)
            if stored is None:
                raise
            results.append(_result(external_id, "duplicate", stored))
        else:
            results.append(_result(external_id, "created", response.pk))
    return results


def log_sample_read(*, survey, principal, page: int, count: int, phones: bool) -> None:
    """Reading the sample (with phones while in the field) is a read of personal data."""
    log_activity(
        actor=principal.display_name,
        action="api.sample_read",
        obj=survey,
        organisation=survey.firm,
        after={"page": page, "rows": count, "phones": phones},
    )
