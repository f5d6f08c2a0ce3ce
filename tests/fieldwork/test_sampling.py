"""The sample design, the seeded draw, and the assignment and draw services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.applications.models import Customer
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import ContactStatus, SampledContact, Survey, SurveyStatus
from manyi.fieldwork.sampling import design, frame, services
from manyi.fieldwork.sampling.draw import draw, eligible_mask, stratum_sizes
from tests.fieldwork.sampling_helpers import (
    assigned,
    drawn,
    listed_application,
    period,
    published,
    staff_of,
    vary_customers,
)

# --- design (pure) ----------------------------------------------------------------------------


def test_a_large_list_needs_about_138_completes_at_3_points():
    d = design.sample_design(population=10_000)

    assert round(d.z, 2) == 1.96
    assert round(d.n0) == 138
    assert d.completes == 137  # 138.3 shrunk a little by the finite population
    assert d.drawn == 274  # at a 50% response rate
    assert d.reserve == 55


def test_a_small_list_is_drawn_whole():
    d = design.sample_design(population=60)

    assert d.completes == 43  # the correction brings 138 down to 43
    assert d.drawn == 60  # 86 wanted, capped at the list
    assert d.reserve == 0  # nothing left to hold back


def test_a_wider_margin_needs_fewer_completes():
    assert design.sample_design(population=10_000, margin=5).completes == 50


def test_the_draw_is_capped_at_what_may_be_drawn():
    d = design.sample_design(population=1000, available=100)

    assert d.drawn == 100
    assert d.reserve == 0


def test_allocation_is_proportional_and_sums_to_the_total():
    shares = design.allocate(10, {"a": 50, "b": 30, "c": 20})

    assert shares == {"a": 5, "b": 3, "c": 2}
    assert sum(design.allocate(7, {"a": 50, "b": 30, "c": 20}).values()) == 7


def test_every_stratum_gets_one_when_the_sample_allows():
    shares = design.allocate(10, {"a": 500, "b": 300, "c": 1})

    assert shares["c"] == 1
    assert sum(shares.values()) == 10


def test_a_full_stratum_passes_its_share_to_the_others():
    shares = design.allocate(6, {"a": 50, "b": 50}, capacity={"a": 1, "b": 50})

    assert shares == {"a": 1, "b": 5}


def test_strata_of_a_row():
    assert design.region_of("广州市天河区天河路385号") == "tianhe"
    assert design.region_of("广州经济技术开发区黄埔区开创大道") == "huangpu"
    assert design.region_of("佛山市禅城区季华路") == "other"
    assert design.customer_type_of("广州市珠江电器有限公司") == "organisation"
    assert design.customer_type_of("王伟") == "person"
    assert design.stratum_label("tianhe|organisation") == "天河区 · 单位用户"
    assert design.stratum_label("other|person") == "其他地区 · 个人用户"


def test_the_list_is_classified_as_row_by_row():
    names = ["王伟", "广州市珠江电器有限公司", "天河区人民医院", "李娜"]
    addresses = ["广州市天河区天河路1号", "佛山市禅城区", "广州市越秀区", ""]

    codes = design.strata_codes(design.STRATA, names, addresses)

    assert codes == [
        design.stratum_of(design.STRATA, name=n, address=a)
        for n, a in zip(names, addresses, strict=True)
    ]
    assert codes == ["tianhe|person", "other|organisation", "yuexiu|organisation", "other|person"]
    assert design.strata_codes(["region"], names, addresses)[0] == "tianhe"
    assert design.strata_codes([], names, addresses) == ["", "", "", ""]


# --- draw (pure) ------------------------------------------------------------------------------

IDS = list(range(1, 201))
PHONES = [f"139{i:08d}" for i in IDS]


def test_same_inputs_give_the_same_rows():
    mask = eligible_mask(PHONES)
    first = draw(ids=IDS, seed=7, mask=mask, sizes={"": (20, 5)})
    again = draw(ids=IDS, seed=7, mask=mask, sizes={"": (20, 5)})
    other = draw(ids=IDS, seed=8, mask=mask, sizes={"": (20, 5)})

    assert first.ids == again.ids
    assert len(first.sample) == 20
    assert len(first.reserve) == 5
    assert len(set(first.ids)) == 25
    assert other.ids != first.ids


def test_excluded_and_repeated_phones_are_skipped():
    phones = list(PHONES)
    phones[10] = phones[3]  # row 11 repeats row 4's phone
    mask = eligible_mask(phones, {PHONES[0], PHONES[1]})

    assert not mask[0]
    assert not mask[1]
    assert mask[3]
    assert not mask[10]
    picked = draw(ids=IDS, seed=1, mask=mask, sizes={"": (197, 0)}).ids
    assert sorted(picked) == [i for i in IDS if i not in (1, 2, 11)]


def test_an_excluded_phone_changes_nothing_for_the_other_rows():
    base = draw(ids=IDS, seed=3, mask=eligible_mask(PHONES), sizes={"": (20, 0)}).sample
    without = draw(
        ids=IDS, seed=3, mask=eligible_mask(PHONES, {PHONES[base[0] - 1]}), sizes={"": (19, 0)}
    ).sample

    assert without == base[1:]


def test_strata_sizes_are_drawn_per_stratum():
    strata = ["a" if i % 4 else "b" for i in IDS]
    mask = eligible_mask(PHONES)
    sizes = stratum_sizes(strata, mask)
    result = draw(ids=IDS, seed=5, mask=mask, sizes={"a": (6, 2), "b": (2, 1)}, strata=strata)

    assert sizes == {"a": 150, "b": 50}
    assert sorted(result.strata[i] for i in result.sample) == ["a"] * 6 + ["b"] * 2
    assert sorted(result.strata[i] for i in result.reserve) == ["a", "a", "b"]
    assert all(i % 4 == 0 for i in result.ids if result.strata[i] == "b")


# --- assignment -------------------------------------------------------------------------------


def test_assign_creates_the_survey_with_its_target(world):
    application, _list = listed_application(world, n=400)

    survey = assigned(world, application)

    assert survey.status == SurveyStatus.ASSIGNED
    assert survey.firm == world.survey_firm
    assert survey.campaign == application.campaign
    assert survey.questionnaire.status == "published"
    assert survey.target_completes == design.sample_design(population=400).completes
    entry = ActivityLog.objects.get(action="survey.assign")
    assert entry.after["target_completes"] == survey.target_completes


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("not_recommended", "只有经用户委员会受理、进入评价的申报才能委托第三方调查"),
        ("no_questionnaire", "该类别尚无已发布的问卷，请先发布问卷"),
        ("no_list", "没有已通过检查的用户名单"),
    ],
)
def test_assign_is_refused_and_stores_nothing(world, setup, words):
    status = "submitted" if setup == "not_recommended" else None
    application, customer_list = listed_application(world, status=status, category="product")
    if setup != "no_questionnaire":
        published(world, "product")
    if setup == "no_list":
        customer_list.delete()

    with pytest.raises(ValidationError) as refused:
        services.assign_survey(
            application=application, firm=world.survey_firm, by=staff_of(world), **period()
        )

    assert words in " ".join(refused.value.messages)
    assert not Survey.objects.exists()
    assert not ActivityLog.objects.filter(action="survey.assign").exists()


def test_assign_checks_the_firm_and_the_dates(world):
    application, _list = listed_application(world)
    published(world)
    dates = period()

    with pytest.raises(ValidationError) as refused:
        services.assign_survey(
            application=application,
            firm=world.agency,
            by=staff_of(world),
            field_opens=dates["field_closes"],
            field_closes=dates["field_opens"],
        )

    assert set(refused.value.message_dict) == {"firm", "field_closes"}
    assert not Survey.objects.exists()


def test_assigning_several_is_all_or_nothing(world):
    good, _list = listed_application(world)
    bad, _list = listed_application(world, status="submitted")
    published(world)

    with pytest.raises(ValidationError) as refused:
        services.assign_surveys(
            applications=[good, bad], firm=world.survey_firm, by=staff_of(world), **period()
        )

    assert refused.value.messages == [
        f"{bad.organisation.name}：只有经用户委员会受理、进入评价的申报才能委托第三方调查"
    ]
    assert not Survey.objects.exists()
    assert not ActivityLog.objects.filter(action="survey.assign").exists()


def test_only_programme_managers_assign(world):
    application, _list = listed_application(world)
    published(world)

    with pytest.raises(PermissionDenied):
        services.assign_survey(
            application=application,
            firm=world.survey_firm,
            by=world.users[Role.SURVEY_MANAGER],
            **period(),
        )
    assert not Survey.objects.exists()


# --- the draw ---------------------------------------------------------------------------------


def test_the_draw_stores_seed_hash_and_contacts(world):
    application, customer_list = listed_application(world, n=400)
    Customer.objects.filter(customer_list=customer_list, row__lt=100).update(
        email="kehu@example.cn"
    )

    survey = drawn(world, application, seed=42)

    d = design.sample_design(population=400)
    assert survey.status == SurveyStatus.SAMPLED
    assert survey.seed == 42
    assert survey.customer_list == customer_list
    assert len(survey.list_hash) == 64
    assert survey.sample_size == d.drawn
    assert survey.reserve_size == d.reserve
    assert survey.drawn_by == staff_of(world)
    contacts = list(survey.contacts.order_by("position"))
    assert [c.position for c in contacts] == list(range(1, d.drawn + d.reserve + 1))
    assert {c.status for c in contacts[: d.drawn]} == {ContactStatus.PENDING}
    assert {c.status for c in contacts[d.drawn :]} == {ContactStatus.RESERVE}
    assert all(c.is_reserve for c in contacts[d.drawn :])
    with_email = [c for c in contacts if c.customer.row < 100]
    assert with_email
    assert {c.email for c in with_email} == {"kehu@example.cn"}
    assert ActivityLog.objects.filter(action="survey.sampled", object_id=str(survey.pk)).exists()


def test_redoing_the_draw_gives_the_same_rows(world):
    application, _list = listed_application(world, n=300)
    survey = drawn(world, application)

    result = services.check_draw(survey=survey, by=world.users[Role.WORKDEPT_STAFF])

    assert result.same
    assert result.hash_matches
    assert result.stored == survey.sample_size + survey.reserve_size
    assert ActivityLog.objects.get(action="survey.draw_check").after["same"] is True


def test_a_changed_list_is_reported(world):
    application, customer_list = listed_application(world, n=300)
    survey = drawn(world, application)
    # Someone edits a stored customer's phone behind the application's back.
    Customer.objects.filter(customer_list=customer_list, row=3).update(phone_normalized="1")

    result = services.check_draw(survey=survey, by=staff_of(world))

    assert not result.hash_matches
    assert ActivityLog.objects.get(action="survey.draw_check").after["hash_matches"] is False


def test_a_tampered_sample_is_found(world):
    application, _list = listed_application(world, n=300)
    survey = drawn(world, application)
    last = survey.contacts.order_by("-position").first()
    outside = Customer.objects.exclude(survey_contacts__survey=survey).filter(
        customer_list=survey.customer_list
    )[0]
    SampledContact.objects.filter(pk=last.pk).update(customer=outside)

    result = services.check_draw(survey=survey, by=staff_of(world))

    assert not result.same
    assert result.differing == [last.position]


def test_strata_are_drawn_in_proportion(world):
    application, customer_list = listed_application(world, n=120)
    vary_customers(customer_list)

    survey = drawn(world, application, strata=["region", "customer_type"])

    strata = set(survey.contacts.values_list("stratum", flat=True))
    assert strata == {
        f"{r}|{t}" for r in ("tianhe", "yuexiu", "other") for t in ("person", "organisation")
    }
    assert services.check_draw(survey=survey, by=staff_of(world)).same


def test_a_phone_is_surveyed_once_per_campaign(world):
    first_app, first_list = listed_application(world, n=40, phone_base=13900000000)
    second_app, _list = listed_application(world, n=40, phone_base=13900000020)  # 20 shared

    first = drawn(world, first_app)  # a list of 40 is drawn whole
    second = drawn(world, second_app)

    first_phones = set(first.contacts.values_list("customer__phone_normalized", flat=True))
    second_phones = set(second.contacts.values_list("customer__phone_normalized", flat=True))
    assert len(first_phones) == 40
    assert second_phones
    assert not first_phones & second_phones
    assert second.sample_size + second.reserve_size == 20
    assert services.check_draw(survey=second, by=staff_of(world)).same
    assert services.check_draw(survey=first, by=staff_of(world)).same


def test_a_phone_on_other_lists_is_counted(world):
    first_app, _list = listed_application(world, n=40, phone_base=13900000000)
    listed_application(world, n=40, phone_base=13900000030)  # 10 shared
    listed_application(world, n=40, phone_base=13900000035)  # 5 of them shared again

    survey = drawn(world, first_app)

    counts = dict(survey.contacts.values_list("customer__phone_normalized", "other_lists"))
    assert counts["13900000000"] == 0
    assert counts["13900000030"] == 1
    assert counts["13900000039"] == 2


def test_a_simultaneous_draw_of_the_same_phone_is_redone_once(world, monkeypatch):
    first_app, _list = listed_application(world, n=40, phone_base=13900000000)
    second_app, _list = listed_application(world, n=40, phone_base=13900000020)
    drawn(world, first_app)
    survey = assigned(world, second_app)
    real = frame.taken_phones
    calls = []

    def blind_first(survey, *, before):
        # The first attempt does not yet see the other draw, as if it had not committed.
        calls.append(before)
        return set() if len(calls) == 1 else real(survey, before=before)

    monkeypatch.setattr(services, "taken_phones", blind_first)

    services.draw_sample(survey=survey, by=staff_of(world), seed=1)

    assert len(calls) == 2
    assert survey.contacts.count() == 20


def test_a_draw_that_keeps_colliding_stores_nothing(world, monkeypatch):
    first_app, _list = listed_application(world, n=40, phone_base=13900000000)
    second_app, _list = listed_application(world, n=40, phone_base=13900000020)
    drawn(world, first_app)
    survey = assigned(world, second_app)
    monkeypatch.setattr(services, "taken_phones", lambda survey, *, before: set())

    with pytest.raises(ValidationError) as refused:
        services.draw_sample(survey=survey, by=staff_of(world), seed=1)

    assert "请稍后重新抽样" in refused.value.messages[0]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.ASSIGNED
    assert not survey.contacts.exists()


def test_a_list_whose_phones_are_all_taken_is_not_drawn(world):
    first_app, _list = listed_application(world, n=40, phone_base=13900000000)
    second_app, _list = listed_application(world, n=30, phone_base=13900000005)  # all shared
    drawn(world, first_app)
    survey = assigned(world, second_app)

    with pytest.raises(ValidationError) as refused:
        services.draw_sample(survey=survey, by=staff_of(world))

    assert "都已被本年度其他申报的调查抽中" in refused.value.messages[0]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.ASSIGNED
    assert not survey.contacts.exists()


def test_the_firm_manager_cannot_draw(world):
    application, _list = listed_application(world)
    survey = assigned(world, application)

    with pytest.raises(PermissionDenied):
        services.draw_sample(survey=survey, by=world.users[Role.SURVEY_MANAGER])

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.ASSIGNED
    assert not survey.contacts.exists()


def test_a_survey_is_drawn_once(world):
    application, _list = listed_application(world)
    survey = drawn(world, application)

    with pytest.raises(ValidationError):
        services.draw_sample(survey=survey, by=staff_of(world))
    assert survey.contacts.count() == survey.sample_size + survey.reserve_size


# --- reserve ----------------------------------------------------------------------------------


def test_reserve_contacts_go_into_the_field_in_draw_order(world):
    application, _list = listed_application(world, n=400)
    survey = drawn(world, application)
    first_reserve = survey.sample_size + 1

    services.release_reserve(survey=survey, by=staff_of(world), count=2)

    released = survey.contacts.filter(position__in=[first_reserve, first_reserve + 1])
    assert {c.status for c in released} == {ContactStatus.PENDING}
    assert not any(c.is_reserve for c in released)
    assert survey.contacts.get(position=first_reserve + 2).status == ContactStatus.RESERVE
    entry = ActivityLog.objects.get(action="survey.release_reserve")
    assert entry.after["positions"] == [first_reserve, first_reserve + 1]
    assert services.check_draw(survey=survey, by=staff_of(world)).same


@pytest.mark.parametrize("count", ["", "0", "9999"])
def test_a_bad_reserve_count_changes_nothing(world, count):
    application, _list = listed_application(world, n=400)
    survey = drawn(world, application)

    with pytest.raises(ValidationError) as refused:
        services.release_reserve(survey=survey, by=staff_of(world), count=count)

    assert "count" in refused.value.message_dict
    assert survey.contacts.filter(status=ContactStatus.RESERVE).count() == survey.reserve_size
    assert not ActivityLog.objects.filter(action="survey.release_reserve").exists()


def test_the_work_department_cannot_release_reserve(world):
    application, _list = listed_application(world, n=400)
    survey = drawn(world, application)

    with pytest.raises(PermissionDenied):
        services.release_reserve(survey=survey, by=world.users[Role.WORKDEPT_STAFF], count=1)
