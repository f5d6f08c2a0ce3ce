"""公示: the public pages and PDF, the public objection form (period, rate limit, evidence,
privacy) and the objector's follow-up page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.titles.models import Objection, PublicNotice
from manyi.titles.notices.services import OBJECTIONS_PER_HOUR, hash_token
from tests.titles.decision_helpers import (
    end_period,
    forged_upload,
    object_to,
    pdf_upload,
    released,
)

pytestmark = pytest.mark.django_db

OBJECTOR = "王异议"
CONTACT = "13800001111"


def form_data(application, **extra):
    return {
        "application": application.pk,
        "name": OBJECTOR,
        "contact": CONTACT,
        "reasons": "该产品曾因质量问题被通报。",
        **extra,
    }


def objection_url(notice):
    return reverse("titles:objection_create", args=[notice.pk])


# ------------------------------------------------------------------------------------------
# Public pages


def test_the_notice_lists_organisation_subject_and_agency_and_nothing_internal(world, client):
    notice, (winner,), (loser,) = released(world, awards=1, not_awards=1)
    winner.form_data = {"product_name": "珠江牌变频空调 KFR-35GW"}
    winner.save(update_fields=["form_data"])

    page = client.get(reverse("titles:notice_detail", args=[notice.pk])).content.decode()

    assert notice.title in page
    assert winner.organisation.name in page
    assert "珠江牌变频空调 KFR-35GW" in page
    assert world.agency.name in page
    assert loser.organisation.name not in page
    assert "指数达到门槛" not in page  # the decision's reasons are internal
    assert "88.0" not in page
    assert reverse("titles:objection_create", args=[notice.pk]) in page


def test_the_notice_list_is_by_year(world, client):
    notice, _w, _l = released(world)

    page = client.get(reverse("titles:notice_list")).content.decode()

    assert f'data-year="{notice.campaign.year}"' in page
    assert reverse("titles:notice_detail", args=[notice.pk]) in page


def test_the_notice_list_reads_the_same_number_of_queries_for_one_or_three(world, client):
    released(world, "product")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("titles:notice_list"))
    released(world, "brand")
    released(world, "service")
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("titles:notice_list"))

    assert len(three) == len(one)


def test_the_notice_pdf_is_a_pdf(world, client):
    notice, _w, _l = released(world)

    response = client.get(reverse("titles:notice_pdf", args=[notice.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# ------------------------------------------------------------------------------------------
# Objections


def test_an_objection_is_received_with_a_private_link_shown_once(world, client):
    notice, (winner,), _l = released(world)

    response = client.post(objection_url(notice), form_data(winner))

    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    objection = Objection.objects.get()
    assert objection.name == OBJECTOR
    token = page.split("/titles/objections/follow/")[1].split("/")[0]
    assert objection.token_hash == hash_token(token)
    assert token not in objection.token_hash
    entry = ActivityLog.objects.get(action="objection.receive")
    assert OBJECTOR not in str(entry.after)
    assert CONTACT not in str(entry.after)
    mails = OutboxMessage.objects.filter(template="objection_received")
    assert list(mails.values_list("to", flat=True)) == [world.users[Role.COMMITTEE_STAFF].email]
    assert OBJECTOR not in mails.get().body_text


def test_the_follow_up_page_shows_the_status_and_nothing_private(world, client):
    notice, (winner,), _l = released(world)
    objection, token = object_to(notice, winner, name=OBJECTOR)

    page = client.get(reverse("titles:objection_follow", args=[token])).content.decode()

    assert 'data-objection-status="received"' in page
    assert winner.organisation.name in page
    assert OBJECTOR not in page
    assert CONTACT not in page
    assert client.get(reverse("titles:objection_follow", args=["wrong"])).status_code == 404


def test_the_objector_is_kept_off_every_public_page(world, client):
    notice, (winner,), _l = released(world)
    object_to(notice, winner, name=OBJECTOR)

    for url in (
        reverse("titles:notice_list"),
        reverse("titles:notice_detail", args=[notice.pk]),
        objection_url(notice),
    ):
        page = client.get(url).content.decode()
        assert OBJECTOR not in page, url
        assert "13912345678" not in page, url


def test_the_applicant_cannot_open_the_objection(world, client_for):
    notice, (winner,), _l = released(world)
    objection, _token = object_to(notice, winner)
    client = client_for(Role.ENTERPRISE_USER)

    response = client.get(reverse("titles:objection_detail", args=[objection.pk]))

    assert response.status_code == 403


def test_an_objection_must_name_an_application_of_the_notice(world, client):
    from tests.titles.decision_helpers import evaluated

    notice, _w, _l = released(world)
    stranger = evaluated(world, "brand")

    response = client.post(objection_url(notice), form_data(stranger))

    assert response.status_code == 200
    assert not Objection.objects.exists()


@pytest.mark.parametrize("when", ["before", "after"])
def test_objections_are_taken_only_during_the_period(world, client, when):
    notice, (winner,), _l = released(world)
    if when == "after":
        end_period(notice)
    else:
        PublicNotice.objects.filter(pk=notice.pk).update(
            starts_on=timezone.localdate() + timedelta(days=1),
            ends_on=timezone.localdate() + timedelta(days=8),
        )

    page = client.get(objection_url(notice)).content.decode()
    response = client.post(objection_url(notice), form_data(winner))

    assert "不在公示期内" in page
    assert "不在公示期内" in response.content.decode()
    assert not Objection.objects.exists()
    detail = client.get(reverse("titles:notice_detail", args=[notice.pk])).content.decode()
    assert "data-object-link" not in detail


def test_objections_are_rate_limited_per_address(world, client):
    notice, (winner,), _l = released(world)
    for _ in range(OBJECTIONS_PER_HOUR):
        client.post(objection_url(notice), form_data(winner), REMOTE_ADDR="198.51.100.7")

    refused = client.post(objection_url(notice), form_data(winner), REMOTE_ADDR="198.51.100.7")
    other = client.post(objection_url(notice), form_data(winner), REMOTE_ADDR="198.51.100.8")

    assert "每小时最多提交" in refused.content.decode()
    assert other.status_code == 200
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR + 1


def test_a_refused_form_does_not_count_against_the_limit(world, client):
    notice, (winner,), _l = released(world)
    for _ in range(OBJECTIONS_PER_HOUR + 2):
        client.post(objection_url(notice), {"application": winner.pk}, REMOTE_ADDR="198.51.100.9")

    client.post(objection_url(notice), form_data(winner), REMOTE_ADDR="198.51.100.9")

    assert Objection.objects.count() == 1


def test_evidence_is_stored_when_genuine(world, client):
    notice, (winner,), _l = released(world)

    client.post(objection_url(notice), form_data(winner, evidence=pdf_upload()))

    objection = Objection.objects.get()
    assert objection.evidence_type == "application/pdf"
    assert (Path(settings.MEDIA_ROOT) / objection.evidence_path).exists()


def test_forged_evidence_is_refused_and_nothing_is_stored(world, client):
    notice, (winner,), _l = released(world)

    response = client.post(objection_url(notice), form_data(winner, evidence=forged_upload()))

    assert "文件内容不是 PDF、JPEG 或 PNG" in response.content.decode()
    assert not Objection.objects.exists()
    stored = Path(settings.MEDIA_ROOT) / "objections"
    assert not stored.exists() or not any(stored.iterdir())
