"""The assignment page, the sample section and its buttons, and the firm's sample export."""

import io

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.access import survey_flags
from manyi.fieldwork.models import ContactStatus, SampledContact, Survey, SurveyStatus
from tests.fieldwork.sampling_helpers import (
    assigned,
    drawn,
    listed_application,
    period,
    published,
)

pytestmark = pytest.mark.django_db


def assign_data(world, *applications, **extra):
    dates = period()
    return {
        "applications": [a.pk for a in applications],
        "firm": world.survey_firm.pk,
        "field_opens": dates["field_opens"].isoformat(),
        "field_closes": dates["field_closes"].isoformat(),
        "margin": "3",
        "confidence": "0.95",
        "expected_response_rate": "0.5",
        "reserve_share": "0.2",
        "max_attempts": "5",
        "callback_share": "0.1",
        **extra,
    }


# --- assignment page --------------------------------------------------------------------------


def test_the_page_lists_recommended_applications_without_a_firm(world, client_for):
    waiting, _list = listed_application(world)
    submitted, _list = listed_application(world, status="submitted")
    taken, _list = listed_application(world)
    assigned(world, taken)

    page = client_for(Role.COMMITTEE_STAFF).get(
        reverse("fieldwork:assign"), {"campaign": waiting.campaign_id}
    )

    assert page.status_code == 200
    assert f'data-application="{waiting.pk}"' in page.text
    assert f'data-application="{submitted.pk}"' not in page.text
    assert f'data-application="{taken.pk}"' not in page.text
    assert waiting.organisation.name in page.text


def test_the_category_filter(world, client_for):
    brand, _list = listed_application(world, category="brand")
    product, _list = listed_application(world, category="product")

    page = client_for(Role.COMMITTEE_STAFF).get(
        reverse("fieldwork:assign"), {"campaign": brand.campaign_id, "category": "product"}
    )

    assert f'data-application="{product.pk}"' in page.text
    assert f'data-application="{brand.pk}"' not in page.text


def test_the_page_costs_the_same_queries_for_one_and_three(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(Role.COMMITTEE_STAFF)
    first, _list = listed_application(world)
    client.get(reverse("fieldwork:assign"))
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("fieldwork:assign"))
    listed_application(world)
    listed_application(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("fieldwork:assign"))
    assert page.text.count("data-application=") == 3


def test_assigning_from_the_page(world, client_for):
    first, _list = listed_application(world)
    second, _list = listed_application(world)
    published(world)

    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("fieldwork:assign"), assign_data(world, first, second, strata=["region"])
    )

    assert response.status_code == 302
    surveys = Survey.objects.order_by("pk")
    assert [s.application for s in surveys] == [first, second]
    assert surveys[0].strata == ["region"]
    assert ActivityLog.objects.filter(action="survey.assign").count() == 2


def test_a_refused_assignment_is_explained_and_stores_nothing(world, client_for):
    good, _list = listed_application(world)
    bad, _list = listed_application(world, category="product")  # no questionnaire published
    published(world)

    page = client_for(Role.COMMITTEE_STAFF).post(
        reverse("fieldwork:assign"), assign_data(world, good, bad)
    )

    assert page.status_code == 200
    assert "该类别尚无已发布的问卷，请先发布问卷" in page.text
    assert bad.organisation.name in page.text
    assert not Survey.objects.exists()


def test_an_empty_form_says_what_is_missing(world, client_for):
    page = client_for(Role.COMMITTEE_STAFF).post(reverse("fieldwork:assign"), {})

    assert page.status_code == 200
    assert "请至少选择一项申报" in page.text
    assert "请选择调查机构" in page.text
    assert not Survey.objects.exists()


# --- sample section and buttons ---------------------------------------------------------------


def section(user, survey, **params) -> str:
    """The sample section as the survey page draws it for `user` (same context)."""
    request = RequestFactory().get("/", params)
    request.user = user
    context = {"survey": survey, "request": request, **survey_flags(user, survey)}
    return Template("{% load fieldwork_sampling %}{% sample_section %}").render(Context(context))


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_staff_draw_from_the_page(world, client_for):
    application, _list = listed_application(world, n=200)
    survey = assigned(world, application)
    staff = world.users[Role.COMMITTEE_STAFF]
    assert 'data-action="draw-sample"' in section(staff, survey)

    response = client_for(staff).post(reverse("fieldwork:draw_sample", args=[survey.pk]))

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SAMPLED
    assert response.url.endswith(f"/fieldwork/{survey.pk}/#sample")
    assert "已抽取样本" in said(response)
    assert f'data-figure="seed">{survey.seed}<' in section(staff, survey)


def test_the_section_masks_phones_and_flags_shared_ones(world, client_for):
    application, _list = listed_application(world, n=40, phone_base=13900000000)
    listed_application(world, n=40, phone_base=13900000030)
    survey = drawn(world, application)
    contact = survey.contacts.get(customer__phone_normalized="13900000031")

    page = section(world.users[Role.COMMITTEE_STAFF], survey)

    assert "13900000031" not in page
    assert "139****0031" in page
    assert 'data-badge="other-lists"' in page
    assert f'data-shared-position="{contact.position}"' in page


def test_the_firm_manager_sees_the_sample_without_the_other_lists(world, client_for):
    application, _list = listed_application(world, n=40, phone_base=13900000000)
    listed_application(world, n=40, phone_base=13900000030)
    survey = drawn(world, application)

    page = section(world.users[Role.SURVEY_MANAGER], survey)

    assert 'data-table="sample"' in page
    assert 'data-badge="other-lists"' not in page
    assert 'data-action="export-sample"' in page
    assert 'data-action="check-draw"' not in page


def test_interviewers_do_not_see_the_whole_sample(world, client_for):
    application, _list = listed_application(world, n=40)
    survey = drawn(world, application)

    assert 'data-section="sample"' in section(world.users[Role.SURVEY_MANAGER], survey)
    assert section(world.users[Role.SURVEYOR], survey).strip() == ""


def test_the_sample_is_paginated(world, client_for):
    application, _list = listed_application(world, n=400)
    survey = drawn(world, application)
    staff = world.users[Role.COMMITTEE_STAFF]

    first = section(staff, survey)
    second = section(staff, survey, sample_page=2)

    assert 'data-position="50"' in first
    assert 'data-position="51"' not in first
    assert 'data-position="51"' in second
    assert "sample_page=2" in first


def test_the_check_button_reports_the_outcome(world, client_for):
    application, _list = listed_application(world, n=200)
    survey = drawn(world, application)

    response = client_for(Role.WORKDEPT_STAFF).post(
        reverse("fieldwork:check_draw", args=[survey.pk])
    )

    assert "复核通过" in said(response)
    assert ActivityLog.objects.filter(action="survey.draw_check").count() == 1


def test_releasing_reserve_from_the_page(world, client_for):
    application, _list = listed_application(world, n=400)
    survey = drawn(world, application)
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(reverse("fieldwork:release_reserve", args=[survey.pk]), {"count": "3"})

    assert "已启用备用样本 3 个" in said(response)
    assert survey.contacts.filter(status=ContactStatus.RESERVE).count() == survey.reserve_size - 3


def test_a_bad_reserve_count_is_explained(world, client_for):
    application, _list = listed_application(world, n=400)
    survey = drawn(world, application)

    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("fieldwork:release_reserve", args=[survey.pk]), {"count": "abc"}
    )

    assert "请填写要启用的备用样本数量" in said(response)
    assert survey.contacts.filter(status=ContactStatus.RESERVE).count() == survey.reserve_size


def test_the_firm_manager_cannot_draw_from_the_page(world, client_for):
    application, _list = listed_application(world)
    survey = assigned(world, application)

    response = client_for(Role.SURVEY_MANAGER).post(
        reverse("fieldwork:draw_sample", args=[survey.pk])
    )

    assert response.status_code == 403
    assert not SampledContact.objects.exists()


# --- export -----------------------------------------------------------------------------------


def test_the_firm_manager_exports_the_sample_with_full_phones(world, client_for):
    application, _list = listed_application(world, n=200)
    survey = drawn(world, application)

    response = client_for(Role.SURVEY_MANAGER).get(
        reverse("fieldwork:export_sample", args=[survey.pk])
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    first = survey.contacts.get(position=1)
    assert len(rows) == survey.sample_size  # reserve held back is left out
    assert rows[0][0] == 1
    assert rows[0][5] == first.customer.phone
    entry = ActivityLog.objects.get(action="survey.export_sample")
    assert entry.after["rows"] == survey.sample_size


def test_another_firm_cannot_export(world, client):
    application, _list = listed_application(world, n=200)
    survey = drawn(world, application)
    client.force_login(world.other_firm_manager)

    response = client.get(reverse("fieldwork:export_sample", args=[survey.pk]))

    assert response.status_code == 404
    assert not ActivityLog.objects.filter(action="survey.export_sample").exists()
