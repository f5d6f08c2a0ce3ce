"""Recommended applications with accepted lists, assigned and drawn through the services."""

import datetime

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import Customer
from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus
from manyi.fieldwork.sampling import services
from tests.applications.helpers import add_customers, make_application
from tests.factories import OrganisationFactory
from tests.fieldwork.factories import make_questionnaire


def staff_of(world):
    return world.users[Role.COMMITTEE_STAFF]


def published(world, category="brand"):
    return Questionnaire.objects.filter(
        category=category, status=QuestionnaireStatus.PUBLISHED
    ).first() or make_questionnaire(staff_of(world), category=category)


def listed_application(
    world, *, n=40, phone_base=13900000000, organisation=None, category="brand", status=None
):
    """A recommended application (by default of a new enterprise) with an accepted list."""
    organisation = organisation or OrganisationFactory(agency=world.agency)
    application = make_application(
        world, category, organisation=organisation, status=status or "accepted"
    )
    customer_list = add_customers(application, n=n, phone_base=phone_base)
    return application, customer_list


def period():
    today = timezone.localdate()
    return {"field_opens": today, "field_closes": today + datetime.timedelta(days=30)}


def assigned(world, application, **design):
    published(world, application.category)
    return services.assign_survey(
        application=application, firm=world.survey_firm, by=staff_of(world), **period(), **design
    )


def drawn(world, application, *, seed=20260101, **design):
    survey = assigned(world, application, **design)
    return services.draw_sample(survey=survey, by=staff_of(world), seed=seed)


def vary_customers(customer_list):
    """Give the list's customers districts and kinds, so strata have something to split."""
    places = ["广州市天河区天河路1号", "广州市越秀区环市东路2号", "佛山市禅城区季华路3号"]
    names = ["王伟", "广州某某电器有限公司"]
    for i, customer in enumerate(Customer.objects.filter(customer_list=customer_list)):
        customer.address = places[i % 3]
        customer.name = f"{names[i % 2]}{i}"
        customer.save(update_fields=["address", "name"])
