"""Revocation pages: the case list (filters, search, pages), the recall list, a case's page
(the forms each role's Action allows, the origin, nothing private), the moves through the
views, opening from the title's page, the public verification page and register once revoked,
the hub and the dashboard."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.punctuation import local_date
from manyi.supervision.models import (
    Complaint,
    Evidence,
    RecallStatus,
    Revocation,
    RevocationReason,
    RevocationStatus,
)
from manyi.titles.models import Title, TitleStatus
from tests.supervision.factories_revocations import (
    DECISION,
    FACTS,
    PROPOSAL,
    a_title,
    opened_case,
    proposed_case,
    revoked_case,
)
from tests.titles.decision_helpers import forged_upload, pdf_upload

pytestmark = pytest.mark.django_db

CS, AA, WD = Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN, Role.WORKDEPT_STAFF


def detail_url(case):
    return reverse("supervision:revocation_detail", args=[case.pk])


def page_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# ------------------------------------------------------------------------------------------
# Lists


def test_the_list_filters_by_status_reason_and_year_and_searches(world, client_for):
    opened = opened_case(world, reason=RevocationReason.MAJOR_COMPLAINT)
    proposed = proposed_case(world, reason=RevocationReason.FAILED_REVISIT)
    client = client_for(WD)
    url = reverse("supervision:revocation_list")

    everything = page_of(client, url)
    by_status = page_of(client, url, status=RevocationStatus.PROPOSED)
    by_reason = page_of(client, url, reason=RevocationReason.MAJOR_COMPLAINT)
    by_year = page_of(client, url, year=str(timezone.now().year - 1))
    by_holder = page_of(client, url, q=opened.title.organisation.name)
    by_number = page_of(client, url, q=proposed.title.number.lower())

    assert f'data-case="{opened.pk}"' in everything
    assert f'data-case="{proposed.pk}"' in everything
    assert f'data-case="{opened.pk}"' not in by_status
    assert f'data-case="{proposed.pk}"' in by_status
    assert f'data-case="{opened.pk}"' in by_reason
    assert f'data-case="{proposed.pk}"' not in by_reason
    assert "data-case=" not in by_year
    assert f'data-case="{opened.pk}"' in by_holder
    assert f'data-case="{proposed.pk}"' not in by_holder
    assert f'data-case="{proposed.pk}"' in by_number


def test_the_list_reads_the_same_number_of_queries_for_one_or_three(world, client_for):
    client = client_for(CS)
    url = reverse("supervision:revocation_list")
    opened_case(world)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    opened_case(world)
    proposed_case(world)
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(three) == len(one)


def test_the_list_is_paginated(world, client_for):
    title = a_title(world)
    case = opened_case(world, title=title)
    client = client_for(CS)

    page = page_of(client, reverse("supervision:revocation_list"), page="99")

    assert f'data-case="{case.pk}"' in page  # an out-of-range page shows the last one


def test_the_recall_list_shows_what_is_still_out(world, client_for):
    out = revoked_case(world)
    back = revoked_case(world)
    Revocation.objects.filter(pk=back.pk).update(
        certificate=RecallStatus.RECALLED, plaque=RecallStatus.RECALLED
    )
    waiting = proposed_case(world)

    page = page_of(client_for(WD), reverse("supervision:revocation_recall_list"))

    assert f'data-case="{out.pk}"' in page
    assert f'data-case="{back.pk}"' not in page
    assert f'data-case="{waiting.pk}"' not in page
    assert "待收回" in page


# ------------------------------------------------------------------------------------------
# The case's page


def test_committee_staff_see_the_study_forms_and_not_the_decision(world, client_for):
    case = opened_case(world)

    page = page_of(client_for(CS), detail_url(case))

    assert FACTS in page
    assert 'data-form="propose"' in page
    assert 'data-form="dismiss"' in page
    assert 'data-form="decide"' not in page
    assert reverse("supervision:revocation_evidence", args=[case.pk]) in page


def test_the_work_department_reads_without_forms(world, client_for):
    case = opened_case(world)

    page = page_of(client_for(WD), detail_url(case))

    assert FACTS in page
    assert "data-form=" not in page
    assert reverse("supervision:revocation_evidence", args=[case.pk]) not in page


def test_the_administrator_sees_the_decision_form_of_a_proposal(world, client_for):
    case = proposed_case(world, reason=RevocationReason.FRAUD)

    page = page_of(client_for(AA), detail_url(case))

    assert PROPOSAL in page
    assert 'data-form="decide"' in page
    assert 'data-form="propose"' not in page
    assert "通报批评" in page  # the fraud's standard text, ready to edit
    assert case.title.organisation.name in page


def test_the_origin_is_linked_and_the_complainant_stays_private(world, client_for):
    title = a_title(world)
    complaint = Complaint.objects.create(
        about=title.number,
        title=title,
        facts="售后承诺从未兑现。",
        name="王投诉",
        contact="13800002222",
        token_hash="0" * 64,
        major=True,
    )
    case = opened_case(world, title=title, reason="major_complaint", complaint=complaint)

    page = page_of(client_for(CS), detail_url(case))

    assert reverse("supervision:complaint_detail", args=[complaint.pk]) in page
    assert "13800002222" not in page
    assert "王投诉" not in page


def test_a_fraud_case_shows_its_ban_and_criticism(world, client_for):
    from manyi.supervision.models import DisciplineNotice

    case = revoked_case(world, reason=RevocationReason.FRAUD)
    criticism = DisciplineNotice.objects.get(revocation=case)

    page = page_of(client_for(WD), detail_url(case))

    assert "data-ban" in page
    assert reverse("supervision:notice_detail", args=[criticism.pk]) in page
    assert "待收回" in page


def test_a_case_opened_by_the_system_says_so(world, client_for):
    case = opened_case(world, system=True)

    page = page_of(client_for(CS), detail_url(case))

    assert "系统" in page


def test_an_unknown_case_is_a_404(world, client_for):
    assert (
        client_for(CS).get(reverse("supervision:revocation_detail", args=[999999])).status_code
        == 404
    )


# ------------------------------------------------------------------------------------------
# The moves through the views


def test_a_proposal_through_the_page(world, client_for):
    case = opened_case(world)

    response = client_for(CS).post(
        reverse("supervision:revocation_propose", args=[case.pk]), {"proposal": PROPOSAL}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED


def test_an_empty_proposal_is_refused_with_a_message(world, client_for):
    case = opened_case(world)
    client = client_for(CS)

    response = client.post(
        reverse("supervision:revocation_propose", args=[case.pk]), {"proposal": ""}, follow=True
    )

    case.refresh_from_db()
    assert case.status == RevocationStatus.OPENED
    assert "alert" in response.content.decode()


def test_a_dismissal_through_the_page(world, client_for):
    case = opened_case(world)

    client_for(AA).post(
        reverse("supervision:revocation_dismiss", args=[case.pk]), {"reasons": "查无实据"}
    )

    case.refresh_from_db()
    assert case.status == RevocationStatus.DISMISSED


def test_the_administrator_revokes_and_the_public_verification_page_says_so(
    world, client_for, client
):
    title = a_title(world)
    case = proposed_case(world, title=title, reason=RevocationReason.FAILED_REVISIT)
    today = timezone.localdate()

    response = client_for(AA).post(
        reverse("supervision:revocation_decide", args=[case.pk]),
        {"outcome": "revoke", "decision": DECISION, "effective_on": today.isoformat()},
    )

    assert response.status_code == 302
    client.logout()
    verify = page_of(client, reverse("titles:verify", args=[title.number]))
    assert 'data-verify-result="revoked"' in verify
    assert "已撤销" in verify
    assert local_date(today) in verify
    assert "回访确认未通过" in verify
    assert FACTS not in verify  # the case's facts stay with staff
    register = page_of(client, reverse("titles:register"), q=title.number)
    assert "回访确认未通过" in register


def test_before_the_effective_date_the_verification_page_says_valid(world, client):
    title = a_title(world)
    revoked_case(world, title=title, effective_on=timezone.localdate() + timedelta(days=5))

    verify = page_of(client, reverse("titles:verify", args=[title.number]))

    assert 'data-verify-result="valid"' in verify
    assert "回访确认未通过" not in verify


def test_the_decision_in_the_past_is_refused_through_the_page(world, client_for):
    case = proposed_case(world)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client_for(AA).post(
        reverse("supervision:revocation_decide", args=[case.pk]),
        {"outcome": "revoke", "decision": DECISION, "effective_on": yesterday.isoformat()},
        follow=True,
    )

    assert "不能早于今天" in response.content.decode()
    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED


def test_committee_staff_cannot_decide(world, client_for):
    case = proposed_case(world)

    response = client_for(CS).post(
        reverse("supervision:revocation_decide", args=[case.pk]),
        {"outcome": "revoke", "decision": DECISION, "effective_on": timezone.localdate()},
    )

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED


def test_recall_through_the_page(world, client_for):
    case = revoked_case(world)

    client_for(CS).post(
        reverse("supervision:revocation_recall", args=[case.pk]),
        {"certificate": "on", "on": timezone.localdate().isoformat()},
    )

    case.refresh_from_db()
    assert case.certificate == RecallStatus.RECALLED
    assert case.plaque == RecallStatus.TO_RECALL


def test_evidence_through_the_page_and_a_forged_file_refused(world, client_for, settings):
    case = opened_case(world)
    client = client_for(CS)
    url = reverse("supervision:revocation_evidence", args=[case.pk])

    client.post(url, {"file": pdf_upload("笔录.pdf"), "description": "询问笔录"})
    response = client.post(url, {"file": forged_upload()}, follow=True)

    assert list(Evidence.objects.filter(revocation=case).values_list("name", flat=True)) == [
        "笔录.pdf"
    ]
    assert "alert" in response.content.decode()
    page = page_of(client, detail_url(case))
    evidence = Evidence.objects.get(revocation=case)
    assert reverse("supervision:evidence", args=[evidence.pk]) in page


# ------------------------------------------------------------------------------------------
# Opening from the title's page


def test_the_title_page_offers_to_open_a_case_to_committee_staff_only(world, client_for):
    title = a_title(world)
    url = reverse("titles:title_detail", args=[title.number])
    open_url = reverse("supervision:revocation_open", args=[title.number])

    assert open_url in page_of(client_for(CS), url)
    assert open_url not in page_of(client_for(WD), url)


def test_opening_a_case_from_the_form(world, client_for):
    title = a_title(world)
    client = client_for(CS)
    url = reverse("supervision:revocation_open", args=[title.number])

    assert 'name="facts"' in page_of(client, url)
    response = client.post(
        url,
        {
            "reason": RevocationReason.MISLEADING,
            "facts": FACTS,
            "evidence": pdf_upload("广告截图.pdf"),
            "description": "广告截图",
        },
    )

    case = Revocation.objects.get(title=title)
    assert response.status_code == 302
    assert response["Location"] == detail_url(case)
    assert case.status == RevocationStatus.OPENED
    assert case.evidence.count() == 1
    title_page = page_of(client, reverse("titles:title_detail", args=[title.number]))
    assert detail_url(case) in title_page


def test_the_form_asks_for_the_proposal_when_proposing(world, client_for):
    title = a_title(world)

    response = client_for(CS).post(
        reverse("supervision:revocation_open", args=[title.number]),
        {"reason": RevocationReason.FRAUD, "facts": FACTS, "proposed": "on", "proposal": ""},
    )

    assert response.status_code == 200
    assert "请填写用户委员会的撤销建议" in response.content.decode()
    assert not Revocation.objects.exists()


def test_a_title_with_a_case_in_progress_shows_the_refusal_not_the_form(world, client_for):
    case = opened_case(world)

    page = page_of(client_for(CS), reverse("supervision:revocation_open", args=[case.title.number]))

    assert "data-refusal" in page
    assert 'name="facts"' not in page
    assert detail_url(case) in page


def test_a_revoked_title_cannot_be_opened_again(world, client_for):
    case = revoked_case(world)
    client = client_for(AA)
    url = reverse("supervision:revocation_open", args=[case.title.number])

    response = client.post(url, {"reason": RevocationReason.FRAUD, "facts": FACTS})

    assert "data-refusal" in response.content.decode()
    assert Revocation.objects.filter(title=case.title).count() == 1
    assert Title.objects.get(pk=case.title_id).status == TitleStatus.REVOKED


# ------------------------------------------------------------------------------------------
# The hub and the dashboard


def test_the_hub_counts_what_waits(world, client_for):
    opened_case(world)
    proposed_case(world)
    revoked_case(world)

    page = page_of(client_for(WD), reverse("supervision:index"))

    assert reverse("supervision:revocation_list") in page
    assert "待研究：1" in page
    assert "待决定：1" in page
    assert "待收回：1" in page


def test_the_dashboard_shows_each_office_its_waiting_cases(world):
    from manyi.supervision.revocations.panels import panels

    opened = opened_case(world)
    proposed = proposed_case(world)

    staff_panels = panels(world.users[CS])
    admin_panels = panels(world.users[AA])

    assert [p["title"] for p in staff_panels] == ["待研究的撤销案件"]
    assert staff_panels[0]["count"] == 1
    assert opened.title.number in staff_panels[0]["items"][0]
    assert [p["title"] for p in admin_panels] == ["待决定的撤销建议"]
    assert proposed.title.number in admin_panels[0]["items"][0]
    assert panels(world.users[WD]) == []
