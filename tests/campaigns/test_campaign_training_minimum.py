"""A category's minimum training (Art. 18) among the category settings staff edit: shown with
the window it counts, saved and logged, kept when a form is posted without it."""

from decimal import Decimal

import pytest

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from tests.campaigns.test_campaign_views import category_post

pytestmark = pytest.mark.django_db


def test_the_edit_page_shows_the_minimum_and_its_window(client_for, campaign):
    page = client_for(Role.COMMITTEE_STAFF).get("/campaigns/2026/edit/").content.decode()
    assert page.count('name="brand-min_training_hours"') == 1
    assert 'name="service-min_trained_employees"' in page
    assert "申报前最少培训学时" in page
    assert "申报年度及上一年度" in page


def test_staff_set_a_minimum_and_it_is_logged(client_for, campaign):
    data = category_post(
        campaign,
        **{"brand-min_training_hours": "16", "brand-min_trained_employees": "3"},
    )
    response = client_for(Role.COMMITTEE_STAFF).post("/campaigns/2026/edit/", data)

    assert response.status_code == 302
    brand = campaign.categories.get(category="brand")
    assert brand.min_training_hours == Decimal("16")
    assert brand.min_trained_employees == 3
    entry = ActivityLog.objects.get(action="campaign.category_update")
    assert entry.after["min_training_hours"] == "16.0"
    assert entry.after["min_trained_employees"] == 3


def test_a_form_without_the_fields_keeps_the_minimum(client_for, campaign):
    campaign.categories.filter(category="brand").update(min_training_hours=8)
    response = client_for(Role.COMMITTEE_STAFF).post(
        "/campaigns/2026/edit/", category_post(campaign, theme="新主题")
    )
    assert response.status_code == 302
    assert campaign.categories.get(category="brand").min_training_hours == Decimal("8")


def test_a_negative_minimum_is_refused(client_for, campaign):
    data = category_post(campaign, **{"product-min_training_hours": "-1"})
    response = client_for(Role.COMMITTEE_STAFF).post("/campaigns/2026/edit/", data)
    assert response.status_code == 200
    assert "确保该值大于或等于0" in response.content.decode()
    assert campaign.categories.get(category="product").min_training_hours == 0
