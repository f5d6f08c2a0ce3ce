"""A category's minimum training (Art. 18): what counts, the window (the campaign's year and
the year before), the words of the submission check, and an application refused for missing
training then accepted once the scores are in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.services import submit_application
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.training import services
from manyi.training.models import TrainingClass
from manyi.training.requirements import requirements_for, training_done, training_problems
from manyi.training.results import Result, record_results
from tests.applications.helpers import complete_application, make_application
from tests.training.factories import enrolled, make_class, started

pytestmark = pytest.mark.django_db


def require(application, *, hours, people):
    CampaignCategory.objects.filter(
        campaign=application.campaign, category=application.category
    ).update(min_training_hours=hours, min_trained_employees=people)


def scored(world, training_class, enrolments, scores):
    record_results(
        by=world.users[Role.AGENCY_STAFF],
        training_class=training_class,
        rows=[
            Result(e.pk, score is not None, None if score is None else Decimal(score))
            for e, score in zip(enrolments, scores, strict=True)
        ],
    )


def test_nothing_is_asked_when_the_category_sets_no_minimum(world):
    application = make_application(world, "brand")
    assert training_problems(application) == []


def test_the_problems_say_what_is_missing_and_over_which_years(world):
    application = make_application(world, "brand")
    require(application, hours=16, people=2)
    year = application.campaign.year
    assert training_problems(application) == [
        f"本单位职工 {year - 1}—{year} 年培训考核合格学时合计 0 学时，"
        "申报本类别至少需要 16 学时（第十八条）",
        f"本单位 {year - 1}—{year} 年培训考核合格的职工 0 人，申报本类别至少需要 2 人（第十八条）",
    ]


def test_only_passed_attended_scores_in_the_window_count(world):
    application = make_application(world, "brand")
    year = application.campaign.year
    training_class = make_class(world, hours=Decimal("8"))
    people = enrolled(world, training_class, names=("李明", "王芳", "赵强", "钱多"))
    started(training_class)
    scored(world, training_class, people, ["90", "59.9", None, "60"])
    # 李明 and 钱多 passed (60 is the pass mark); 王芳 failed; 赵强 was absent.
    assert training_done(world.enterprise.pk, since_year=year - 1, until_year=year) == (
        Decimal("16"),
        2,
    )
    # Three years back does not count.
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=training_class.starts_at.replace(year=year - 2),
        ends_at=training_class.ends_at.replace(year=year - 2),
    )
    assert training_done(world.enterprise.pk, since_year=year - 1, until_year=year) == (
        Decimal("0"),
        0,
    )


def test_a_cancelled_class_does_not_count(world):
    training_class = make_class(world)
    people = enrolled(world, training_class, names=("李明",))
    started(training_class)
    scored(world, training_class, people, ["90"])
    services.cancel_class(
        by=world.users[Role.AGENCY_STAFF], training_class=training_class, reason="误录"
    )
    year = timezone.localdate().year
    assert training_done(world.enterprise.pk, since_year=year - 1) == (Decimal("0"), 0)


def test_submission_is_refused_for_missing_training_and_accepted_once_scores_are_in(world):
    application = complete_application(make_application(world, "brand"))
    require(application, hours=8, people=2)
    user = world.users[Role.ENTERPRISE_USER]

    with pytest.raises(ValidationError) as caught:
        submit_application(application=application, by=user)
    assert [m for m in caught.value.messages if "第十八条" in m] == training_problems(application)
    assert len(training_problems(application)) == 2
    application.refresh_from_db()
    assert application.status == Status.DRAFT

    training_class = make_class(world, hours=Decimal("8"))
    people = enrolled(world, training_class, names=("李明", "王芳"))
    started(training_class)
    scored(world, training_class, people, ["75", "82"])

    assert training_problems(application) == []
    submit_application(application=application, by=user)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_enterprise_sees_what_open_campaign_categories_require(world):
    application = make_application(world, "brand")
    require(application, hours=8, people=1)
    training_class = make_class(world, hours=Decimal("4"))
    people = enrolled(world, training_class, names=("李明",))
    started(training_class)
    scored(world, training_class, people, ["88"])

    found = requirements_for(world.enterprise)
    assert len(found) == 1
    requirement = found[0]
    assert requirement.category.category == "brand"
    assert (requirement.need_hours, requirement.need_people) == (Decimal("8"), 1)
    assert (requirement.have_hours, requirement.have_people) == (Decimal("4"), 1)
    assert requirement.met is False
    # A closed campaign asks nothing any more.
    application.campaign.closes_at = timezone.now() - dt.timedelta(days=1)
    application.campaign.save(update_fields=["closes_at"])
    assert requirements_for(world.enterprise) == []
