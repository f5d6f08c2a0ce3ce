"""Certificates: the PDF (year, number, organisation, seal, QR of the verification page, a band
when void), the plaque sheet, numbering (sequential, never reused, distinct under concurrent
grants on PostgreSQL), who may download, the staff title page and the association's seal, and
the title on the applicant's application page."""

import re
import subprocess
import threading
from datetime import timedelta

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import AgencySeal
from manyi.applications.states import Status
from manyi.common.models import ActivityLog
from manyi.titles.certificates import services
from manyi.titles.models import Decision, Proposal, Title, TitleStatus
from manyi.titles.services import grant_title
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reviews.factories import after_recommendation, granted_title
from tests.titles.decision_helpers import confirmed, evaluated, released

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A small red seal-like PNG, made by Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 20, 20, 255)).save(out, format="PNG")
    return out.getvalue()


PNG = png_bytes()


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def pdf_pages(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def upload_seal(world):
    return services.save_association_seal(
        by=world.users[Role.ASSOCIATION_ADMIN],
        upload=SimpleUploadedFile("seal.png", PNG, content_type="image/png"),
    )


# ------------------------------------------------------------------------------------------
# The certificate


def test_the_certificate_states_year_number_organisation_subject_and_validity(
    world, client_for, tmp_path
):
    title = granted_title(world, "product")
    response = client_for(Role.COMMITTEE_STAFF).get(
        reverse("titles:certificate", args=[title.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "证书" in text
    assert f"{title.year}年度" in text
    assert title.number in text
    assert title.organisation.name in text
    assert "广州市用户满意产品" in text
    assert "广州市质量协会" in text
    assert "已撤销" not in text


def test_the_certificate_is_one_landscape_a4_page(world, tmp_path):
    title = granted_title(world, "brand")
    info = pdf_pages(services.certificate_pdf(title), tmp_path)
    assert re.search(r"Pages:\s+1\n", info)
    # A4 landscape: 841.89 x 595.28 points.
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts", info)


def test_the_qr_code_is_built_from_the_public_verification_url(world, settings):
    settings.SITE_URL = "https://manyi.example.cn"
    title = granted_title(world, "product")
    context = services.certificate_context(title)
    expected = f"https://manyi.example.cn/titles/verify/{title.number}/"
    assert context["verify_url"] == expected
    assert context["qr_src"] == segno.make(expected, error="m").svg_data_uri(scale=4, border=2)
    assert context["qr_src"].startswith("data:image/svg+xml")


def test_the_certificate_html_embeds_the_qr_code_and_the_seal(world):
    from django.template.loader import render_to_string

    upload_seal(world)
    title = granted_title(world, "product")
    context = services.certificate_context(title)
    html = render_to_string("titles/certificates/certificate_pdf.html", context)
    assert f'src="{context["qr_src"]}"' in html
    assert context["seal_src"].startswith("data:image/png;base64,")
    assert context["seal_src"] in html


def test_without_a_seal_the_name_is_printed_and_staff_are_told(world, client_for, tmp_path):
    title = granted_title(world, "product")
    assert services.certificate_context(title)["seal_src"] == ""
    text = pdf_text(services.certificate_pdf(title), tmp_path)
    assert "广州市质量协会" in text
    page = client_for(Role.COMMITTEE_STAFF).get(reverse("titles:title_detail", args=[title.number]))
    assert "data-no-seal" in page.content.decode()


def test_a_revoked_title_s_certificate_says_so_across_it(world, tmp_path):
    title = granted_title(world, "product")
    since = timezone.localdate()
    Title.objects.filter(pk=title.pk).update(status=TitleStatus.REVOKED, status_since=since)
    title.refresh_from_db()
    text = pdf_text(services.certificate_pdf(title), tmp_path)
    assert "已撤销" in text
    assert "本证书无效" in text


def test_an_expired_title_s_certificate_says_so(world, tmp_path):
    title = granted_title(world, "service")
    Title.objects.filter(pk=title.pk).update(
        status=TitleStatus.EXPIRED, status_since=timezone.localdate()
    )
    title.refresh_from_db()
    text = pdf_text(services.certificate_pdf(title), tmp_path)
    assert "已过期" in text


def test_the_plaque_sheet_holds_the_wording_with_its_year(world, client_for, tmp_path):
    title = granted_title(world, "service")
    response = client_for(Role.COMMITTEE_STAFF).get(reverse("titles:plaque", args=[title.number]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert f"{title.year}年度" in text
    assert "广州市用户满意服务" in text
    assert title.organisation.name in text
    assert ActivityLog.objects.filter(
        action="title.export_plaque", object_id=str(title.pk)
    ).exists()


# ------------------------------------------------------------------------------------------
# Who may download


def test_the_applicant_downloads_its_certificate_and_the_download_is_logged(world, client_for):
    title = granted_title(world, "product", organisation=world.enterprise)
    response = client_for(world.colleague).get(reverse("titles:certificate", args=[title.number]))
    assert response.status_code == 200
    entry = ActivityLog.objects.get(action="title.export_certificate")
    assert entry.actor == world.colleague
    assert entry.object_id == str(title.pk)


def test_another_organisation_s_certificate_is_not_found(world, client_for):
    title = granted_title(world, "product", organisation=world.enterprise)
    response = client_for(world.outsider).get(reverse("titles:certificate", args=[title.number]))
    assert response.status_code == 404
    assert not ActivityLog.objects.filter(action="title.export_certificate").exists()


def test_agency_staff_and_experts_may_not_download_certificates(world, client_for):
    title = granted_title(world, "product", organisation=world.enterprise)
    for role in (Role.AGENCY_STAFF, Role.EXPERT):
        response = client_for(role).get(reverse("titles:certificate", args=[title.number]))
        assert response.status_code == 403


def test_the_grant_mail_links_to_a_working_certificate_url(world, client_for):
    from manyi.common.models import OutboxMessage

    title = granted_title(world, "product", organisation=world.enterprise)
    url = reverse("titles:certificate", args=[title.number])
    message = OutboxMessage.objects.get(
        to=world.users[Role.ENTERPRISE_USER].email, body_text__contains=title.number
    )
    assert url in message.body_text
    assert client_for(Role.ENTERPRISE_USER).get(url).status_code == 200


# ------------------------------------------------------------------------------------------
# Numbers


def test_numbers_are_sequential_per_year_and_category(world):
    first = granted_title(world, "product")
    second = granted_title(world, "product")
    other = granted_title(world, "brand")
    year = first.year
    assert first.number == f"GZYH-{year}-CP-0001"
    assert second.number == f"GZYH-{year}-CP-0002"
    assert other.number == f"GZYH-{year}-PP-0001"


def test_a_revoked_title_s_number_is_never_given_again(world):
    first = granted_title(world, "product")
    Title.objects.filter(pk=first.pk).update(
        status=TitleStatus.REVOKED, status_since=timezone.localdate()
    )
    second = granted_title(world, "product")
    assert second.number.endswith("-0002")
    assert Title.objects.filter(number=first.number).count() == 1


THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_get_distinct_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    applications = [
        after_recommendation(
            world,
            "product",
            status=Status.IN_NOTICE,
            organisation=OrganisationFactory(name=f"并发{i}有限公司", agency=world.agency),
        )
        for i in range(THREADS)
    ]
    staff = world.users[Role.COMMITTEE_STAFF]
    barrier = threading.Barrier(THREADS)
    numbers, errors = [], []

    def run(application):
        try:
            barrier.wait(timeout=30)
            numbers.append(grant_title(application=application, by=staff).number)
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    year = applications[0].campaign.year
    assert sorted(numbers) == [f"GZYH-{year}-CP-{i:04d}" for i in range(1, THREADS + 1)]


# ------------------------------------------------------------------------------------------
# The staff title page and the association's seal


def test_the_title_page_shows_the_facts_and_links(world, client_for):
    title = granted_title(world, "product")
    html = (
        client_for(Role.WORKDEPT_STAFF)
        .get(reverse("titles:title_detail", args=[title.number]))
        .content.decode()
    )
    assert title.number in html
    assert title.subject in html
    assert reverse("titles:certificate", args=[title.number]) in html
    assert reverse("titles:plaque", args=[title.number]) in html
    assert reverse("titles:verify", args=[title.number]) in html
    # Only the administrator uploads the seal.
    assert reverse("titles:certificate_seal", args=[title.number]) not in html
    # The work department reads, but does not download decision packs.
    assert "data-pack-link" not in html
    staff_html = (
        client_for(Role.COMMITTEE_STAFF)
        .get(reverse("titles:title_detail", args=[title.number]))
        .content.decode()
    )
    assert reverse("titles:decision_pack", args=[title.application_id]) in staff_html


def test_the_administrator_uploads_the_seal_and_it_is_stamped_from_then_on(world, client_for):
    title = granted_title(world, "product")
    client = client_for(Role.ASSOCIATION_ADMIN)
    url = reverse("titles:certificate_seal", args=[title.number])
    response = client.post(url, {"seal": SimpleUploadedFile("seal.png", PNG, "image/png")})
    assert response.status_code == 302
    seal = AgencySeal.objects.get(agency=world.association)
    assert seal.content_type == "image/png"
    assert ActivityLog.objects.filter(action="association.seal_upload").count() == 1
    assert services.certificate_context(title)["seal_src"].startswith("data:image/png")
    page = client.get(reverse("titles:title_detail", args=[title.number])).content.decode()
    assert "data-no-seal" not in page


def test_a_forged_seal_is_refused_and_nothing_is_stored(world, client_for, settings):
    title = granted_title(world, "product")
    client = client_for(Role.ASSOCIATION_ADMIN)
    forged = SimpleUploadedFile("seal.png", b"<html><script>x</script></html>", "image/png")
    response = client.post(
        reverse("titles:certificate_seal", args=[title.number]), {"seal": forged}, follow=True
    )
    assert not AgencySeal.objects.filter(agency=world.association).exists()
    assert response.context["messages"]
    seals = settings.MEDIA_ROOT / "seals"
    assert not seals.exists() or not any(seals.iterdir())


def test_committee_staff_may_not_upload_the_seal(world, client_for):
    title = granted_title(world, "product")
    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("titles:certificate_seal", args=[title.number]),
        {"seal": SimpleUploadedFile("seal.png", PNG, "image/png")},
    )
    assert response.status_code == 403
    assert not AgencySeal.objects.exists()


# ------------------------------------------------------------------------------------------
# The applicant's application page


def member_of(organisation):
    return MembershipFactory(organisation=organisation, role=Role.ENTERPRISE_USER).user


def detail_html(client, application) -> str:
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_applicant_sees_its_title_with_downloads(world, client_for):
    title = granted_title(world, "product", organisation=world.enterprise)
    html = detail_html(client_for(Role.ENTERPRISE_USER), title.application)
    assert 'data-title-section="awarded"' in html
    assert title.number in html
    assert reverse("titles:certificate", args=[title.number]) in html
    assert reverse("titles:plaque", args=[title.number]) in html


def test_in_notice_the_applicant_sees_the_period_and_the_notice(world, client_for):
    notice, winners, _losers = released(world, "product")
    winner = winners[0]
    html = detail_html(client_for(member_of(winner.organisation)), winner)
    assert 'data-title-section="in_notice"' in html
    assert "公示期至" in html
    assert reverse("titles:notice_detail", args=[notice.pk]) in html


def test_not_awarded_reasons_are_shown_only_after_release(world, client_for):
    application = evaluated(world, "product", index=70.0)
    confirmed(world, application, Proposal.NOT_AWARD, reasons="满意度指数未达到门槛")
    client = client_for(member_of(application.organisation))
    assert "满意度指数未达到门槛" not in detail_html(client, application)
    from manyi.titles.decisions.services import release_decisions

    release_decisions(
        campaign=application.campaign,
        category="product",
        by=world.users[Role.ASSOCIATION_ADMIN],
    )
    application.refresh_from_db()
    assert application.status == Status.NOT_AWARDED
    assert Decision.objects.get(application=application).release_id is not None
    html = detail_html(client, application)
    assert 'data-title-section="not_awarded"' in html
    assert "满意度指数未达到门槛" in html


def test_another_enterprise_sees_no_title_section(world, client_for):
    title = granted_title(world, "product", organisation=world.enterprise)
    # The outsider cannot open the application at all.
    response = client_for(world.outsider).get(
        reverse("applications:detail", args=[title.application_id])
    )
    assert response.status_code == 404


def test_validity_follows_the_category_setting(world):
    title = granted_title(world, "product", on=timezone.localdate() - timedelta(days=1))
    from manyi.campaigns.models import CampaignCategory

    years = CampaignCategory.objects.get(
        campaign=title.application.campaign, category="product"
    ).title_validity_years
    assert title.valid_until.year - title.valid_from.year == years
