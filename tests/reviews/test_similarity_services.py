"""The similarity run on the database: copies across years, signatures cached and recomputed,
the appraisal check, failures that store nothing, and the committee's verdict on a flag."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import ClientAppraisal
from manyi.applications.states import Status
from manyi.common.models import ActivityLog
from manyi.reviews.models import (
    FlagKind,
    FlagStatus,
    MaterialSignature,
    RunStatus,
    SimilarityFlag,
    SimilarityRun,
)
from manyi.reviews.similarity import services
from tests.applications.helpers import open_campaign
from tests.factories import OrganisationFactory
from tests.reviews.factories import after_recommendation, chinese_text, materials


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def run_now(world, campaign, **kwargs):
    run = services.request_similarity_run(campaign=campaign, by=staff(world), **kwargs)
    return services.execute_run(run=run)


def earlier_application(world, texts, *, organisation=None):
    """A submitted (not recommended) application of last year's campaign."""
    last_year = open_campaign(year=timezone.localdate().year - 1)
    return after_recommendation(
        world,
        organisation=organisation or world.other_enterprise,
        campaign=last_year,
        status=Status.SUBMITTED,
        materials=texts,
        customers=0,
    )


def test_a_copy_of_last_years_measures_is_flagged_with_passages_and_share(world):
    old_texts = materials(1)
    old = earlier_application(world, old_texts)
    copied = old_texts["measures"][800:2000]
    new_texts = materials(2)
    new_texts["measures"] = new_texts["measures"][:800] + copied + new_texts["measures"][2000:]
    new = after_recommendation(world, materials=new_texts)

    run = run_now(world, new.campaign)

    assert run.status == RunStatus.DONE
    assert run.compared == 1
    flag = SimilarityFlag.objects.get(kind=FlagKind.TEXT)
    assert (flag.application, flag.other) == (new, old)
    assert (flag.section, flag.other_section) == ("measures", "measures")
    assert float(flag.share) == pytest.approx(1200 / 2800, abs=0.02)
    passage = flag.detail["passages"][0]
    assert passage["a"] == passage["b"]
    assert passage["a"] in copied
    assert len(passage["a"]) > 1150
    assert run.flagged == 1


def test_the_seeds_boilerplate_alone_is_not_flagged(world):
    from manyi.applications.forms.specs import MATERIALS_GUIDANCE, TEN_POINTS

    guidance = MATERIALS_GUIDANCE + "".join(f"{n}）{p}" for n, p in enumerate(TEN_POINTS, 1))
    mine, theirs = materials(3), materials(4)
    mine["measures"] = guidance + mine["measures"][:2000]
    theirs["measures"] = guidance + theirs["measures"][:2000]
    after_recommendation(world, materials=mine)
    other = after_recommendation(world, organisation=world.other_enterprise, materials=theirs)

    run = run_now(world, other.campaign)

    assert run.compared == 2
    assert not SimilarityFlag.objects.exists()


def test_unrelated_applications_are_not_flagged(world):
    campaign = None
    for k in range(4):
        organisation = OrganisationFactory(name=f"无关企业{k}")
        campaign = after_recommendation(
            world, organisation=organisation, materials=materials(10 + k)
        ).campaign
    run = run_now(world, campaign)
    assert run.compared == 4
    assert run.flagged == 0


def test_a_copy_between_sections_of_two_applicants_is_flagged(world):
    mine, theirs = materials(5), materials(6)
    theirs["measures"] = theirs["measures"][:1300] + mine["profile"] + theirs["measures"][1500:]
    a = after_recommendation(world, materials=mine)
    after_recommendation(world, organisation=world.other_enterprise, materials=theirs)
    run_now(world, a.campaign)
    flag = SimilarityFlag.objects.get()
    assert (flag.application, flag.section, flag.other_section) == (a, "profile", "measures")
    assert flag.share > 0.9


def test_signatures_are_cached_and_recomputed_when_the_text_changes(world, monkeypatch):
    from manyi.reviews.similarity import engine

    a = after_recommendation(world, materials=materials(7))
    run_now(world, a.campaign)
    stored = {s.section: s for s in MaterialSignature.objects.filter(application=a)}
    assert set(stored) == {"profile", "products", "measures", "outlook"}

    a.outlook = chinese_text(99, 200)
    a.save()
    computed = []
    real = engine.signatures

    def counting(prepared, **kwargs):
        computed.append(len(prepared))
        return real(prepared, **kwargs)

    monkeypatch.setattr(engine, "signatures", counting)
    run_now(world, a.campaign)

    assert computed == [1]
    again = {s.section: s for s in MaterialSignature.objects.filter(application=a)}
    assert again["outlook"].text_sha256 == services.text_digest(a.outlook)
    assert again["outlook"].text_sha256 != stored["outlook"].text_sha256
    assert bytes(again["outlook"].signature) != bytes(stored["outlook"].signature)
    assert bytes(again["measures"].signature) == bytes(stored["measures"].signature)


def engineering_with_appraisal(world, **appraisal):
    application = after_recommendation(world, "engineering", materials=materials(8))
    ClientAppraisal.objects.create(
        application=application,
        client_name="广州某建设单位",
        contact_name=appraisal.pop("contact_name", "王建设"),
        contact_email=appraisal.pop("contact_email", "client@example.cn"),
        contact_phone=appraisal.pop("contact_phone", ""),
        proposed_at=timezone.now(),
        **appraisal,
    )
    return application


def test_an_appraisal_signed_by_the_applicants_own_user_is_flagged(world):
    colleague = world.colleague
    colleague.full_name = "张伟明"
    colleague.mobile = "13912345678"
    colleague.save()
    application = engineering_with_appraisal(
        world, signer="张 伟明", contact_phone="139-1234-5678", submitted_at=timezone.now()
    )

    run_now(world, application.campaign)

    flag = SimilarityFlag.objects.get(kind=FlagKind.APPRAISAL)
    assert flag.application == application
    fields = {m["field"]: m for m in flag.detail["matches"]}
    assert set(fields) == {"name", "phone"}
    assert fields["phone"]["value"] == "139****5678"
    assert "13912345678" not in str(flag.detail)


def test_an_employee_listed_as_a_customer_and_signing_is_flagged(world):
    application = engineering_with_appraisal(world, contact_email="insider@example.cn")
    row = application.customer_lists.get().customers.first()
    row.name = world.enterprise.name
    row.email = "Insider@example.cn"
    row.save()
    run_now(world, application.campaign)
    flag = SimilarityFlag.objects.get(kind=FlagKind.APPRAISAL)
    assert flag.detail["matches"][0]["field"] == "email"


def test_an_independent_client_is_not_flagged(world):
    application = engineering_with_appraisal(world, signer="王建设")
    run_now(world, application.campaign)
    assert not SimilarityFlag.objects.filter(kind=FlagKind.APPRAISAL).exists()


def test_a_failing_run_stores_nothing_and_says_so(world, monkeypatch):
    texts = materials(9)
    a = after_recommendation(world, materials=texts)
    after_recommendation(world, organisation=world.other_enterprise, materials=texts)
    run_now(world, a.campaign)
    before = set(SimilarityFlag.objects.values_list("pk", flat=True))
    assert before

    def broken(run, queries):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_appraisal_flags", broken)
    run = run_now(world, a.campaign)

    assert run.status == RunStatus.FAILED
    assert "未保存任何结果" in run.error
    assert set(SimilarityFlag.objects.values_list("pk", flat=True)) == before
    assert ActivityLog.objects.filter(action="similarity.failed").count() == 1


def test_a_new_run_replaces_open_flags_and_keeps_reviewed_pairs(world):
    texts = materials(11)
    a = after_recommendation(world, materials=texts)
    after_recommendation(world, organisation=world.other_enterprise, materials=texts)
    run_now(world, a.campaign)
    flags = list(SimilarityFlag.objects.order_by("pk"))
    assert len(flags) == 4
    services.review_flag(flag=flags[0], by=staff(world), status="dismissed", note="通用表述")

    second = run_now(world, a.campaign)

    assert second.flagged == 3
    assert SimilarityFlag.objects.count() == 4
    assert SimilarityFlag.objects.get(pk=flags[0].pk).status == FlagStatus.DISMISSED
    assert not SimilarityFlag.objects.filter(pk__in=[f.pk for f in flags[1:]]).exists()


def test_requesting_a_run_queues_it_and_the_worker_runs_it(
    world, django_capture_on_commit_callbacks
):
    a = after_recommendation(world, materials=materials(12))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_similarity_run(campaign=a.campaign, by=staff(world))
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert ActivityLog.objects.filter(action="similarity.request").exists()
    assert ActivityLog.objects.filter(action="similarity.done").exists()


def test_only_the_committee_runs_and_one_run_at_a_time(world):
    campaign = open_campaign()
    with pytest.raises(PermissionDenied):
        services.request_similarity_run(campaign=campaign, by=world.users[Role.WORKDEPT_STAFF])
    services.request_similarity_run(campaign=campaign, by=staff(world))
    with pytest.raises(ValidationError):
        services.request_similarity_run(campaign=campaign, by=staff(world))
    with pytest.raises(ValidationError):
        services.request_similarity_run(
            campaign=open_campaign(year=timezone.localdate().year - 2),
            by=staff(world),
            threshold="0.05",
        )
    assert SimilarityRun.objects.count() == 1


def make_flag(world):
    a = after_recommendation(world, materials=materials(13))
    run = SimilarityRun.objects.create(campaign=a.campaign, status=RunStatus.DONE)
    return SimilarityFlag.objects.create(
        run=run, kind=FlagKind.TEXT, application=a, section="measures", share="0.5"
    )


def test_reviewing_a_flag_needs_a_note_and_happens_once(world):
    flag = make_flag(world)
    with pytest.raises(ValidationError):
        services.review_flag(flag=flag, by=staff(world), status="confirmed", note="  ")
    with pytest.raises(ValidationError):
        services.review_flag(flag=flag, by=staff(world), status="open", note="说明")
    with pytest.raises(PermissionDenied):
        services.review_flag(
            flag=flag, by=world.users[Role.WORKDEPT_STAFF], status="confirmed", note="说明"
        )
    services.review_flag(flag=flag, by=staff(world), status="confirmed", note="整段照抄")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED
    assert flag.reviewed_by == staff(world)
    entry = ActivityLog.objects.get(action="similarity_flag.reviewed")
    assert entry.note == "整段照抄"
    with pytest.raises(ValidationError):
        services.review_flag(flag=flag, by=staff(world), status="dismissed", note="改判")


def test_a_stale_copy_of_the_flag_cannot_review_it_twice(world):
    flag = make_flag(world)
    stale = SimilarityFlag.objects.get(pk=flag.pk)
    services.review_flag(flag=flag, by=staff(world), status="confirmed", note="照抄")
    with pytest.raises(ValidationError):
        services.review_flag(flag=stale, by=staff(world), status="dismissed", note="改判")
    assert SimilarityFlag.objects.get(pk=flag.pk).status == FlagStatus.CONFIRMED


def test_same_organisation_texts_are_not_compared(world):
    texts = materials(14)
    a = after_recommendation(world, materials=texts)
    earlier_application(world, texts, organisation=world.enterprise)
    run = run_now(world, a.campaign)
    assert run.flagged == 0
