"""Public notices (Art. 24, 26): the year's notice of revoked titles and public sanctions (its
content, frozen; a corrected version only when something changed), the 通报批评 of a fraud, the
public pages and the PDF, and the administrator's publishing page."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.supervision.models import DisciplineNotice, DisciplineNoticeKind, SanctionKind
from manyi.supervision.revocations.notices import notice_pdf, publish_annual_notice
from tests.supervision.factories_revocations import (
    a_title,
    public_sanction,
    revoked_case,
)

pytestmark = pytest.mark.django_db


def admin(world):
    return world.users[Role.ASSOCIATION_ADMIN]


def this_year():
    return timezone.localdate().year


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


# ------------------------------------------------------------------------------------------
# The year's notice


def test_the_notice_lists_the_years_revoked_titles_and_public_sanctions(world):
    title = a_title(world)
    revoked_case(world, title=title, reason="low_satisfaction")
    later = revoked_case(world, effective_on=timezone.localdate() + timedelta(days=3))
    disqualified = public_sanction(world)
    hidden = public_sanction(world, kind=SanctionKind.ACCOUNT_DISABLED, public=False)
    last_year = public_sanction(world, on=timezone.localdate().replace(year=this_year() - 1))

    notice = publish_annual_notice(year=this_year(), by=admin(world))

    assert notice.kind == DisciplineNoticeKind.ANNUAL
    assert notice.title == f"{this_year()}年度撤销称号和取消资格公示"
    assert "第二十四条" in notice.body
    revoked = [e for e in notice.entries if e["section"] == "revocation"]
    assert revoked == [
        {
            "section": "revocation",
            "number": title.number,
            "organisation": title.organisation.name,
            "subject": title.subject,
            "title": f"{title.year}年度广州市{title.get_category_display()}",
            "reason": "用户满意度严重偏低",
            "effective_on": timezone.localdate().isoformat(),
        }
    ]
    assert later.title.number not in str(notice.entries)  # not in effect yet
    sanctions = [e for e in notice.entries if e["section"] == "sanction"]
    assert [s["subject"] for s in sanctions] == [world.other_agency.name]
    assert sanctions[0]["kind"] == "取消推进机构资格"
    assert sanctions[0]["reason"] == disqualified.reason
    assert hidden.decided_on.isoformat() == sanctions[0]["decided_on"]  # same day, not public
    assert last_year.decided_on.isoformat() not in str(notice.entries)
    assert ActivityLog.objects.filter(
        action="discipline_notice.publish", object_id=str(notice.pk)
    ).exists()


def test_the_notice_is_frozen_when_published(world):
    title = a_title(world)
    revoked_case(world, title=title)
    notice = publish_annual_notice(year=this_year(), by=admin(world))
    name = title.organisation.name

    type(title.organisation).objects.filter(pk=title.organisation_id).update(name="改名后的公司")

    notice.refresh_from_db()
    assert notice.entries[0]["organisation"] == name


def test_the_same_notice_is_not_published_twice(world):
    revoked_case(world)
    publish_annual_notice(year=this_year(), by=admin(world))

    with pytest.raises(ValidationError, match="无需重新发布"):
        publish_annual_notice(year=this_year(), by=admin(world))

    assert DisciplineNotice.objects.count() == 1


def test_a_later_revocation_is_published_as_a_corrected_version(world, client):
    revoked_case(world)
    first = publish_annual_notice(year=this_year(), by=admin(world))
    added = revoked_case(world)

    second = publish_annual_notice(year=this_year(), by=admin(world))

    assert second.title.endswith("（更正）")
    assert first.title in second.body
    assert added.title.number in str(second.entries)
    listing = client.get(reverse("supervision:notice_list")).content.decode()
    assert listing.count("data-superseded") == 1
    old_page = client.get(reverse("supervision:notice_detail", args=[first.pk])).content.decode()
    assert "data-replaced-by" in old_page
    assert reverse("supervision:notice_detail", args=[second.pk]) in old_page


def test_a_year_to_come_or_with_nothing_to_list_is_refused(world):
    with pytest.raises(ValidationError, match="本年度及以前年度"):
        publish_annual_notice(year=this_year() + 1, by=admin(world))
    with pytest.raises(ValidationError, match="无需发布"):
        publish_annual_notice(year=this_year(), by=admin(world))

    assert not DisciplineNotice.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF])
def test_only_the_administrator_publishes(world, role):
    revoked_case(world)

    with pytest.raises(PermissionDenied):
        publish_annual_notice(year=this_year(), by=world.users[role])


# ------------------------------------------------------------------------------------------
# Public pages


def test_anyone_reads_the_notices_and_their_pdf(world, client, tmp_path):
    title = a_title(world)
    revoked_case(world, title=title, reason="failed_revisit")
    public_sanction(world)
    notice = publish_annual_notice(year=this_year(), by=admin(world))

    listing = client.get(reverse("supervision:notice_list")).content.decode()
    page = client.get(reverse("supervision:notice_detail", args=[notice.pk])).content.decode()
    response = client.get(reverse("supervision:notice_pdf", args=[notice.pk]))

    assert notice.title in listing
    assert title.number in page
    assert "回访确认未通过" in page
    assert world.other_agency.name in page
    assert reverse("titles:verify", args=[title.number]) in page
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert notice.title in text
    assert title.organisation.name in text
    assert title.number in text
    assert "回访确认未通过" in text
    assert world.other_agency.name in text
    assert "广州市质量协会" in text
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text


def test_a_fraud_criticism_is_in_the_public_list(world, client, tmp_path):
    case = revoked_case(world, reason="fraud")
    criticism = DisciplineNotice.objects.get(revocation=case)

    listing = client.get(
        reverse("supervision:notice_list"), {"kind": DisciplineNoticeKind.CRITICISM}
    ).content.decode()
    page = client.get(reverse("supervision:notice_detail", args=[criticism.pk])).content.decode()

    assert criticism.title in listing
    assert "通报批评" in page
    assert case.title.number in page
    assert "通报批评" in pdf_text(notice_pdf(notice=criticism), tmp_path)


def test_the_list_filters_and_searches(world, client):
    case = revoked_case(world, reason="fraud")
    annual = publish_annual_notice(year=this_year(), by=admin(world))
    criticism = DisciplineNotice.objects.get(revocation=case)
    url = reverse("supervision:notice_list")

    annual_only = client.get(url, {"kind": DisciplineNoticeKind.ANNUAL}).content.decode()
    other_year = client.get(url, {"year": str(this_year() - 1)}).content.decode()
    searched = client.get(url, {"q": case.title.organisation.name}).content.decode()

    assert f'data-notice="{annual.pk}"' in annual_only
    assert f'data-notice="{criticism.pk}"' not in annual_only
    assert "data-notice=" not in other_year
    assert f'data-notice="{criticism.pk}"' in searched


def test_the_list_reads_the_same_number_of_queries_for_one_or_three(world, client):
    url = reverse("supervision:notice_list")
    revoked_case(world, reason="fraud")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    revoked_case(world, reason="fraud")
    publish_annual_notice(year=this_year(), by=admin(world))
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(three) == len(one)


def test_an_unknown_notice_is_a_404(db, client):
    assert client.get(reverse("supervision:notice_detail", args=[4242])).status_code == 404
    assert client.get(reverse("supervision:notice_pdf", args=[4242])).status_code == 404


def test_the_titles_notices_link_to_these(db, client):
    page = client.get(reverse("titles:notice_list")).content.decode()

    assert reverse("supervision:notice_list") in page


# ------------------------------------------------------------------------------------------
# The publishing page


def test_the_administrator_previews_then_publishes(world, client_for):
    title = a_title(world)
    revoked_case(world, title=title)
    client = client_for(Role.ASSOCIATION_ADMIN)
    url = reverse("supervision:notice_publish")

    preview = client.get(url, {"year": this_year()}).content.decode()
    response = client.post(url, {"year": this_year()})

    assert title.number in preview
    notice = DisciplineNotice.objects.get(kind=DisciplineNoticeKind.ANNUAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:notice_detail", args=[notice.pk])


def test_publishing_again_unchanged_is_refused_on_the_page(world, client_for):
    revoked_case(world)
    client = client_for(Role.ASSOCIATION_ADMIN)
    url = reverse("supervision:notice_publish")
    client.post(url, {"year": this_year()})

    response = client.post(url, {"year": this_year()})

    assert response.status_code == 200
    assert "无需重新发布" in response.content.decode()
    assert DisciplineNotice.objects.count() == 1


def test_the_publish_link_is_the_administrators(world, client_for):
    url = reverse("supervision:notice_list")
    link = reverse("supervision:notice_publish")

    assert link in client_for(Role.ASSOCIATION_ADMIN).get(url).content.decode()
    assert link not in client_for(Role.COMMITTEE_STAFF).get(url).content.decode()
    assert client_for(Role.COMMITTEE_STAFF).get(link).status_code == 403
