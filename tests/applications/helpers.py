"""Applications for tests: an open campaign, a draft, and a draft completed to pass every check."""

from datetime import timedelta

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.demo.content import sample_form_data, sample_materials
from manyi.applications.forms.specs import form_spec
from manyi.applications.models import (
    Application,
    Attachment,
    AttachmentKind,
    ClientAppraisal,
    Confirmation,
    Customer,
    CustomerList,
    CustomerListStatus,
)
from manyi.campaigns.categories import Category
from manyi.campaigns.models import AgencyQuota, Campaign, CampaignCategory, CampaignStatus


def open_campaign(*, year=None, quota=2, agencies=()) -> Campaign:
    """A published campaign accepting applications now, every category open."""
    now = timezone.now()
    year = year or timezone.localdate().year
    campaign, created = Campaign.objects.get_or_create(
        year=year,
        defaults={
            "title": f"申报{year}年广州市实施用户满意工程先进单位",
            "status": CampaignStatus.PUBLISHED,
            "opens_at": now - timedelta(days=30),
            "closes_at": now + timedelta(days=30),
        },
    )
    if created:
        CampaignCategory.objects.bulk_create(
            CampaignCategory(campaign=campaign, category=c, data_year=year - 1)
            for c in Category.values
        )
    for agency in agencies:
        for category in Category.values:
            AgencyQuota.objects.get_or_create(
                campaign=campaign, agency=agency, category=category, defaults={"quota": quota}
            )
    return campaign


def make_application(
    world, category="brand", *, organisation=None, campaign=None, status="draft"
) -> Application:
    organisation = organisation or world.enterprise
    campaign = campaign or open_campaign(agencies=[world.agency, world.other_agency])
    return Application.objects.create(
        campaign=campaign,
        category=category,
        organisation=organisation,
        created_by=world.users[Role.ENTERPRISE_USER],
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        agency=first_agency(organisation),
    )


def first_agency(organisation):
    """The agency the enterprise asked to join first (the one the World gives it)."""
    membership = organisation.agency_memberships.order_by("pk").select_related("agency").first()
    return membership.agency if membership else None


def add_customers(application, n=30, *, phone_base=13900000000) -> CustomerList:
    customer_list = CustomerList.objects.create(
        application=application,
        status=CustomerListStatus.ACCEPTED,
        is_current=True,
        original_name="用户名单.xlsx",
        sha256="0" * 64,
        row_count=n,
        uploaded_by=application.created_by,
        finished_at=timezone.now(),
    )
    Customer.objects.bulk_create(
        Customer(
            customer_list=customer_list,
            row=i + 3,
            seq=str(i + 1),
            name=f"用户单位{i + 1}",
            address="广州市天河区",
            contact=f"联系人{i + 1}",
            phone=str(phone_base + i),
            phone_normalized=str(phone_base + i),
        )
        for i in range(n)
    )
    return customer_list


def complete_application(application, *, with_appraisal=True) -> Application:
    """Fill everything the seed asks, as the applicant would, so that submission passes."""
    organisation = application.organisation
    organisation.agency_memberships.filter(confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    trades = ["industrial"] if application.category in ("brand", "enterprise") else []
    application.chosen_trades = trades
    application.form_data = sample_form_data(
        form_spec(application.category),
        category=application.category,
        organisation=organisation,
        data_year=application.campaign.year - 1,
        trades=trades,
    )
    for key, value in sample_materials(
        application.category, organisation_name=organisation.name
    ).items():
        setattr(application, key, value)
    application.save()
    confirmation, _created = Confirmation.objects.get_or_create(
        campaign=application.campaign, organisation=organisation
    )
    categories = set(confirmation.data.get("categories", [])) | {application.category}
    confirmation.data = {**confirmation.data, "categories": sorted(categories)}
    confirmation.signer = "梁总"
    confirmation.signed_on = timezone.localdate()
    confirmation.save()
    kind = {
        "brand": AttachmentKind.TRADEMARK,
        "product": AttachmentKind.TRADEMARK,
        "enterprise": AttachmentKind.BUSINESS_LICENCE,
        "engineering": AttachmentKind.AWARD,
    }.get(application.category)
    if kind:
        Attachment.objects.create(
            application=application,
            kind=kind,
            file_path="evidence/none.pdf",
            original_name="证明.pdf",
            content_type="application/pdf",
            size_bytes=1,
            sha256="0" * 64,
            uploaded_by=application.created_by,
        )
    # The signed and sealed paper of 附件2 and of the application form, scanned.
    for scan in (AttachmentKind.SIGNED_CONFIRMATION, AttachmentKind.SIGNED_FORM):
        Attachment.objects.create(
            application=application,
            kind=scan,
            file_path="evidence/none.pdf",
            original_name=f"{scan}.pdf",
            content_type="application/pdf",
            size_bytes=1,
            sha256="0" * 64,
            uploaded_by=application.created_by,
        )
    add_customers(application)
    if application.category == "engineering" and with_appraisal:
        # As the flow leaves it: proposed by the applicant, sent by the agency, answered.
        ClientAppraisal.objects.create(
            application=application,
            client_name="广州市城建投资有限公司",
            contact_name="王工",
            contact_email="wang@gzcjt.example.com",
            contact_phone="020-83330000",
            proposed_by=application.created_by,
            proposed_at=timezone.now(),
            sent_at=timezone.now(),
            token_hash=f"{application.pk:064d}",
            expires_at=timezone.now() + timedelta(days=30),
            submitted_at=timezone.now(),
            quality="优良",
            construction_service="及时",
            design_suggestions="合理",
            maintenance="到位",
            overall="满意",
            improvements="无",
            signer="王工",
            signed_on=timezone.localdate(),
        )
    return application
