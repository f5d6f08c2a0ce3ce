"""The similarity pages: a campaign's runs and flags, one flag's passages, the review page's
section, and who may run and review."""

from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.reviews.models import FlagKind, FlagStatus, RunStatus, SimilarityFlag, SimilarityRun
from tests.reviews.factories import after_recommendation, materials

CS, WD = Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF


def flagged_pair(world, share="0.425"):
    a = after_recommendation(world, materials=materials(1))
    b = after_recommendation(world, organisation=world.other_enterprise, materials=materials(2))
    run = SimilarityRun.objects.create(campaign=a.campaign, status=RunStatus.DONE, flagged=1)
    flag = SimilarityFlag.objects.create(
        run=run,
        kind=FlagKind.TEXT,
        application=a,
        other=b,
        section="measures",
        other_section="profile",
        share=share,
        detail={
            "share_other": 0.9,
            "passages": [
                {
                    "a_before": "前文甲",
                    "a": "照抄的段落<b>",
                    "a_after": "后文甲",
                    "b_before": "前文乙",
                    "b": "照抄的段落<b>",
                    "b_after": "后文乙",
                    "length": 8,
                }
            ],
        },
    )
    return a, b, flag


def test_campaign_page_lists_runs_and_flags_with_filters(world, client_for):
    a, b, flag = flagged_pair(world)
    url = reverse("reviews:similarity_campaign", args=[a.campaign_id])
    page = client_for(CS).get(url).content.decode()
    assert f'data-flag="{flag.pk}"' in page
    assert "42.5%" in page
    assert "data-similarity-run" in page
    assert 'data-run-status="done"' in page
    assert (
        f'data-flag="{flag.pk}"' not in client_for(CS).get(url + "?kind=appraisal").content.decode()
    )
    assert f'data-flag="{flag.pk}"' in client_for(CS).get(url + "?q=白云").content.decode()
    assert (
        f'data-flag="{flag.pk}"'
        not in client_for(CS).get(url + "?status=dismissed").content.decode()
    )


def test_the_work_department_reads_but_cannot_run(world, client_for):
    a, _b, _flag = flagged_pair(world)
    page = client_for(WD).get(reverse("reviews:similarity_campaign", args=[a.campaign_id]))
    assert page.status_code == 200
    assert "data-similarity-run" not in page.content.decode()
    response = client_for(WD).post(reverse("reviews:similarity_run", args=[a.campaign_id]))
    assert response.status_code == 403
    assert SimilarityRun.objects.count() == 1


def test_the_flags_list_makes_the_same_queries_for_one_or_three_flags(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, _b, flag = flagged_pair(world)
    url = reverse("reviews:similarity_campaign", args=[a.campaign_id])
    client = client_for(CS)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(2):
        flag.pk = None
        flag.save()
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_running_from_the_page_queues_a_run(world, client_for):
    a, _b, _flag = flagged_pair(world)
    response = client_for(CS).post(
        reverse("reviews:similarity_run", args=[a.campaign_id]), {"threshold": "0.40"}
    )
    assert response.status_code == 302
    run = SimilarityRun.objects.first()
    assert str(run.threshold) == "0.40"
    refused = client_for(CS).post(
        reverse("reviews:similarity_run", args=[a.campaign_id]), {"threshold": "0.95"}, follow=True
    )
    assert SimilarityRun.objects.count() == 2
    assert refused.status_code == 200


def test_flag_page_shows_the_passages_side_by_side_and_links(world, client_for):
    a, b, flag = flagged_pair(world)
    page = client_for(CS).get(reverse("reviews:similarity_flag", args=[flag.pk])).content.decode()
    assert page.count("<mark>照抄的段落&lt;b&gt;</mark>") == 2
    assert "前文甲" in page
    assert "42.5%" in page
    assert "90.0%" in page
    assert reverse("reviews:detail", args=[a.pk]) in page
    assert reverse("reviews:detail", args=[b.pk]) in page
    assert reverse("reviews:similarity_flag_review", args=[flag.pk]) in page


def test_the_work_department_sees_the_flag_without_the_review_form(world, client_for):
    _a, _b, flag = flagged_pair(world)
    page = client_for(WD).get(reverse("reviews:similarity_flag", args=[flag.pk])).content.decode()
    assert "<mark>" in page
    assert reverse("reviews:similarity_flag_review", args=[flag.pk]) not in page
    response = client_for(WD).post(
        reverse("reviews:similarity_flag_review", args=[flag.pk]),
        {"status": "confirmed", "note": "照抄"},
    )
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_staff_confirm_a_flag_with_a_note(world, client_for):
    _a, _b, flag = flagged_pair(world)
    url = reverse("reviews:similarity_flag_review", args=[flag.pk])
    client = client_for(CS)
    missing = client.post(url, {"status": "confirmed", "note": ""})
    assert missing.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    client.post(url, {"status": "confirmed", "note": "整段照抄"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED
    assert flag.review_note == "整段照抄"
    page = client.get(reverse("reviews:similarity_flag", args=[flag.pk])).content.decode()
    assert "整段照抄" in page
    assert url not in page


def test_review_page_shows_the_flag_on_both_applications(world, client_for):
    a, b, flag = flagged_pair(world)
    client = client_for(CS)
    mine = client.get(reverse("reviews:detail", args=[a.pk])).content.decode()
    assert f'data-flag="{flag.pk}"' in mine
    assert "42.5%" in mine
    assert world.other_enterprise.name in mine
    theirs = client.get(reverse("reviews:detail", args=[b.pk])).content.decode()
    assert f'data-flag="{flag.pk}"' in theirs
    assert "90.0%" in theirs
    assert world.enterprise.name in theirs


def test_review_page_says_when_nothing_was_found(world, client_for):
    a = after_recommendation(world, materials=materials(3))
    page = client_for(CS).get(reverse("reviews:detail", args=[a.pk])).content.decode()
    assert 'id="similarity"' in page
    assert "data-similarity-flags" not in page
    assert reverse("reviews:similarity_campaign", args=[a.campaign_id]) in page


def test_review_list_links_to_each_years_similarity_page(world, client_for):
    a = after_recommendation(world, materials=materials(4))
    page = client_for(CS).get(reverse("reviews:list")).content.decode()
    assert reverse("reviews:similarity_campaign", args=[a.campaign_id]) in page


def test_others_get_nothing(world, client_for):
    _a, _b, flag = flagged_pair(world)
    url = reverse("reviews:similarity_flag", args=[flag.pk])
    assert client_for(Role.ENTERPRISE_USER).get(url).status_code == 403
    assert client_for(Role.EXPERT).get(url).status_code == 403
    assert (
        client_for(CS).get(reverse("reviews:similarity_flag", args=[flag.pk + 99])).status_code
        == 404
    )
