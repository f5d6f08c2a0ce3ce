"""The report of each preset, read in English (page and PDF), has no Chinese outside user
data: the presets' English names are used for constructs and indicators, and every word the
report writes itself is translated (tests/test_english.py's approach)."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from manyi.accounts.roles import Role
from manyi.surveys import exports
from tests.surveys.test_report import finished_run
from tests.test_english import offending, user_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("preset", "groups"), [("china", 3), ("acsi", 3), ("ecsi", 0), ("ecsi7", 0)]
)
def test_the_english_report_has_no_chinese_outside_user_data(client, world, preset, groups):
    staff = world.users[Role.COMMITTEE_STAFF]
    run = finished_run(staff, preset=preset, groups=groups, n=200, resamples=30)
    data = user_data()
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("surveys:run_detail", kwargs={"pk": run.pk})).content.decode()
    assert "Satisfaction" in page or "satisfaction" in page  # it is the English page
    with translation.override("en"):
        pdf_html = render_to_string(
            "surveys/report_pdf.html", exports.report_pdf_context(run=run, by=staff)
        )
    assert offending(page, data) == []
    assert offending(pdf_html, data) == []
