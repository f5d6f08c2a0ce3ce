"""The fieldwork lists with the list toolkit: every applicant's survey, the interviewer's
queue, the item bank, the quality review and the survey page's sample: filters and search in
the URL, bad values ignored, a page's cost flat in its rows, a firm offered no other firm."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.fieldwork.models import ContactStatus, Item, ItemKind, ItemPurpose, SurveyPurpose
from tests.factories import OrganisationFactory
from tests.fieldwork.factories import make_survey
from tests.fieldwork.qc_helpers import flagged_response
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = (
    "status=x&agency=١٢&page=-1&campaign=99999999999999999999&survey=99999999999999999999"
    "&firm=²&purpose=nope&flag=nope&sample_status=x&later_page=-4&sort=phone"
)
_serial = itertools.count(1)


def _surveys(world, n, *, prefix="调查", **kwargs):
    made = []
    for _ in range(n):
        i = next(_serial)
        organisation = OrganisationFactory(name=f"{prefix}{i:03d}有限公司", agency=world.agency)
        made.append(
            make_survey(
                world,
                organisation=organisation,
                phone_base=13000000000 + i * 1000,
                customers=12,
                sample=6,
                reserve=2,
                **kwargs,
            )
        )
    return made


def test_the_survey_list_filters_and_searches_in_the_url(world, client_for):
    first = _surveys(world, 2, prefix="甲")[0]
    _surveys(world, 1, prefix="乙", category="product")
    client = client_for(Role.COMMITTEE_STAFF)
    assert client.get("/fieldwork/").context["listing"].total == 3
    assert client.get("/fieldwork/?category=product").context["listing"].total == 1
    found = client.get("/fieldwork/", {"q": first.application.organisation.name})
    assert [s.pk for s in found.context["page"]] == [first.pk]
    by_firm = client.get(f"/fieldwork/?firm={world.other_firm.pk}")
    assert by_firm.context["listing"].total == 0
    holders = client.get(f"/fieldwork/?purpose={SurveyPurpose.HOLDER}").content.decode()
    assert "没有符合筛选条件的调查" in holders
    ordered = client.get("/fieldwork/?sort=-organisation").context["page"]
    names = [s.application.organisation.name for s in ordered]
    assert names == sorted(names, reverse=True)


def test_a_firm_is_not_offered_the_other_firms(world, client_for):
    _surveys(world, 1)
    response = client_for(Role.SURVEY_MANAGER).get(f"/fieldwork/?firm={world.other_firm.pk}")
    assert "firm" not in response.context["listing"].filters.form.fields
    assert world.other_firm.name not in response.content.decode()
    assert response.context["listing"].total == 1


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.COMMITTEE_STAFF, "/fieldwork/"),
        (Role.SURVEY_MANAGER, "/fieldwork/"),
        (Role.SURVEYOR, "/fieldwork/calls/"),
        (Role.SURVEY_MANAGER, "/fieldwork/qc/"),
        (Role.COMMITTEE_STAFF, "/fieldwork/items/"),
    ],
)
def test_bad_values_are_ignored(world, client_for, role, url):
    _surveys(world, 1)
    assert client_for(role).get(f"{url}?{BAD}").status_code == 200


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.SURVEY_MANAGER])
def test_the_survey_list_costs_the_same_at_two_sizes(world, client_for, role):
    _surveys(world, 1)
    assert_flat(client_for(role), "/fieldwork/", grow=lambda: _surveys(world, 3))


def test_the_queue_narrows_by_survey_and_pages_the_later_callbacks(world, client_for):
    first, second = _surveys(world, 2)
    later = timezone.now() + timedelta(days=2)
    second.contacts.filter(interviewer__isnull=False).update(
        status=ContactStatus.CALLBACK, callback_at=later
    )
    client = client_for(Role.SURVEYOR)
    page = client.get("/fieldwork/calls/")
    assert {c.survey_id for c, _masked in page.context["rows"]} == {first.pk}
    assert page.context["later"].paginator.count == 3
    assert 'data-list="later"' in page.content.decode()
    only_second = client.get(f"/fieldwork/calls/?survey={second.pk}")
    assert only_second.context["rows"] == []
    found = client.get("/fieldwork/calls/", {"q": "没有这个人"})
    assert "没有符合筛选条件的样本" in found.content.decode()


def test_the_queue_costs_the_same_at_two_sizes(world, client_for):
    _surveys(world, 1)
    assert_flat(client_for(Role.SURVEYOR), "/fieldwork/calls/", grow=lambda: _surveys(world, 3))


def test_the_review_list_costs_the_same_at_two_sizes(world, client_for):
    survey = _surveys(world, 1)[0]
    flagged_response(world, survey, position=1)

    def grow():
        for position in (2, 3):
            flagged_response(world, survey, position=position)
        other = _surveys(world, 1)[0]
        flagged_response(world, other, position=1)

    assert_flat(client_for(Role.SURVEY_MANAGER), "/fieldwork/qc/", grow=grow)


def _items(n, *, purpose=ItemPurpose.MODEL, prefix="item"):
    Item.objects.bulk_create(
        Item(
            code=f"{prefix}_{next(_serial)}",
            kind=ItemKind.SCORE,
            purpose=purpose,
            text_zh=f"题目{prefix}",
            indicator="SAT",
        )
        for _ in range(n)
    )


def test_the_item_bank_filters_searches_and_sorts(world, client_for):
    _items(3)
    _items(2, purpose=ItemPurpose.SCREEN, prefix="screen")
    client = client_for(Role.COMMITTEE_STAFF)
    url = "/fieldwork/items/"
    assert client.get(f"{url}?purpose=screen").context["listing"].total == 2
    assert client.get(url, {"q": "题目screen"}).context["listing"].total == 2
    codes = [i.code for i in client.get(f"{url}?sort=-code").context["page"]]
    assert codes == sorted(codes, reverse=True)


def test_the_item_bank_costs_the_same_at_two_sizes(world, client_for):
    _items(1)
    url = "/fieldwork/items/"
    assert_flat(client_for(Role.COMMITTEE_STAFF), url, grow=lambda: _items(30))


def test_the_sample_section_narrows_by_state_and_name(world, client_for):
    survey = _surveys(world, 1)[0]
    contact = survey.contacts.filter(is_reserve=False).order_by("position").first()
    client = client_for(Role.COMMITTEE_STAFF)
    url = f"/fieldwork/{survey.pk}/"
    everything = client.get(url).content.decode()
    assert everything.count("data-position=") == 8
    pending = client.get(f"{url}?sample_status=pending").content.decode()
    assert pending.count("data-position=") == 6
    named = client.get(url, {"sample_q": contact.customer.name}).content.decode()
    assert f'data-position="{contact.position}"' in named
    assert client.get(f"{url}?{BAD}").status_code == 200
