"""Responses and call-back selections for the quality-control tests."""

import datetime

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.fieldwork.models import SampledContact
from manyi.fieldwork.responses import record_response
from tests.fieldwork.factories import answers_for


def complete(world, contact, *, channel="phone", score=8, vary=True, seconds=600, answers=None):
    """Store a response for `contact` as if its interview took `seconds`."""
    survey = contact.survey
    now = timezone.now()
    return record_response(
        contact=contact,
        answers=answers or answers_for(survey.questionnaire, score=score, vary=vary),
        channel=channel,
        started_at=now - datetime.timedelta(seconds=seconds),
        submitted_at=now,
        by=world.users[Role.SURVEYOR] if channel == "phone" else None,
    )


def complete_many(world, survey, n, *, channel="phone"):
    """`n` completed interviews, positions 1..n (their flags do not matter here)."""
    contacts = list(survey.contacts.filter(is_reserve=False).order_by("position")[:n])
    return [complete(world, c, channel=channel, score=3 + i % 6) for i, c in enumerate(contacts)]


def flagged_response(world, survey, position=1):
    """A straight-lined (so flagged) telephone interview."""
    contact = SampledContact.objects.get(survey=survey, position=position)
    return complete(world, contact, score=7, vary=False)


def selected_positions(survey) -> list[int]:
    return list(
        survey.contacts.filter(verify_selected=True)
        .order_by("position")
        .values_list("position", flat=True)
    )
