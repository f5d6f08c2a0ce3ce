"""Demo applications: all five categories at every stage of the application's life.

Built with the same services people use for the moves (so the activity log, the history and
the outbox look as they would), from realistic, valid contents (samples.py). Idempotent: a
campaign that already has demo applications is left as it is.
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import Role
from manyi.accounts.selectors import agencies_of
from manyi.applications import services
from manyi.applications.agency import services as agency_services
from manyi.applications.appraisals.services import send_appraisal_link, submit_appraisal
from manyi.applications.demo.content import sample_form_data, sample_materials
from manyi.applications.forms.specs import form_spec
from manyi.applications.models import (
    AgencySeal,
    Application,
    Attachment,
    AttachmentKind,
    ClientAppraisal,
    Confirmation,
    Customer,
    CustomerList,
    CustomerListStatus,
)
from manyi.applications.states import Status
from manyi.common.files import store_upload

# enterprise, category, final stage
PLAN = [
    ("广州珠江家电制造有限公司", "brand", Status.RECOMMENDED),
    ("广州珠江家电制造有限公司", "product", Status.DRAFT),
    ("广州羊城食品股份有限公司", "brand", Status.SUBMITTED),
    ("广州南粤精密仪器有限公司", "enterprise", Status.RETURNED),
    ("广州云山电子科技有限公司", "product", Status.DRAFT),
    ("广州穗华汽车零部件有限公司", "enterprise", Status.NOT_RECOMMENDED),
    ("广州越秀建设工程有限公司", "engineering", Status.RECOMMENDED),
    ("广州市政路桥建设有限公司", "engineering", Status.DRAFT),
    ("广州南方电力安装工程有限公司", "engineering", Status.SUBMITTED),
    ("广州白云装饰工程有限公司", "enterprise", Status.DRAFT),
    ("广州天河物业管理有限公司", "service", Status.RECOMMENDED),
    ("广州花城通信服务有限公司", "service", Status.SUBMITTED),
    ("广州岭南酒店管理有限公司", "service", Status.RETURNED),
    ("广州番禺燃气有限公司", "service", Status.RECOMMENDED),
    ("广州海珠医疗器械有限公司", "product", Status.SUBMITTED),
    ("广州增城水务服务有限公司", "brand", Status.WITHDRAWN),
    # Recommended, for the committee's formal review (reviews/demo.py takes them on).
    ("广州羊城食品股份有限公司", "product", Status.RECOMMENDED),
    ("广州云山电子科技有限公司", "brand", Status.RECOMMENDED),
    ("广州海珠医疗器械有限公司", "enterprise", Status.RECOMMENDED),
    ("广州白云装饰工程有限公司", "engineering", Status.RECOMMENDED),
]

OPINIONS = {
    "recommend": "该单位用户满意工程推进扎实，测评数据真实，同意推荐。",
    "not_recommend": "近三年发生质量投诉未整改完毕，本年度不予推荐。",
    "return": "请补充近三年年处理退赔次数的统计口径说明，并完善成就和展望。",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉"
STREETS = [
    "天河路",
    "中山大道",
    "黄埔大道",
    "广州大道",
    "环市东路",
    "解放北路",
    "江南大道",
    "工业大道",
]
DISTRICTS = ["天河区", "越秀区", "海珠区", "荔湾区", "白云区", "黄埔区", "番禺区"]


def _user_of(organisation, role) -> User:
    membership = (
        organisation.memberships.filter(role=role, is_active=True).select_related("user").first()
    )
    if membership is not None:
        return membership.user
    from allauth.account.models import EmailAddress

    from manyi.accounts.demo import DEMO_PASSWORD
    from manyi.accounts.models import Membership

    email = f"org{organisation.pk}@demo.manyi.cn"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, DEMO_PASSWORD, full_name=organisation.contact_person or "联系人", is_demo=True
    )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"is_manager": True}
    )
    return user


def _customers(application, rng: random.Random, n: int) -> None:
    customer_list = CustomerList.objects.create(
        application=application,
        status=CustomerListStatus.ACCEPTED,
        is_current=True,
        original_name=f"{application.organisation.name}用户名单.xlsx",
        sha256="demo",
        row_count=n,
        company_name=application.organisation.name,
        uploaded_by=application.created_by,
        finished_at=timezone.now(),
        progress=100,
    )
    rows = []
    for i in range(n):
        is_company = application.category in ("engineering", "enterprise") or i % 3 == 0
        name = (
            (
                f"广州{rng.choice(['恒信', '华通', '新世纪', '南方', '科达', '嘉禾', '宏远'])}"
                f"{rng.choice(['贸易', '科技', '物业', '餐饮', '实业'])}有限公司"
            )
            if is_company
            else rng.choice(SURNAMES)
            + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        )
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        rows.append(
            Customer(
                customer_list=customer_list,
                row=i + 3,
                seq=str(i + 1),
                name=name,
                address=f"广州市{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
                department="采购部" if is_company else "",
                contact=rng.choice(SURNAMES) + "先生",
                phone=phone,
                phone_normalized=phone,
                # Half the customers gave an e-mail (the optional column): they get the web link.
                email=f"customer{i + 1:03d}.{application.pk}@example.cn" if i % 2 == 0 else "",
            )
        )
    Customer.objects.bulk_create(rows)


def evidence_pdf() -> bytes:
    from manyi.common.pdf import render_pdf

    return render_pdf("applications/demo_evidence.html", {})


def seal_png(name: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), outline=(200, 20, 30, 230), width=10)
    # A five-pointed star in the middle, as on an official seal.
    import math

    points = []
    for k in range(10):
        r = 46 if k % 2 == 0 else 19
        angle = math.pi / 2 + k * math.pi / 5
        points.append((120 + r * math.cos(angle), 120 - r * math.sin(angle)))
    draw.polygon(points, fill=(200, 20, 30, 230))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# Last year's campaign, finished: every application recommended, then reviewed, surveyed,
# decided, published and granted by the later demos (reviews, fieldwork, titles).
LAST_YEAR_PLAN = [
    ("广州珠江家电制造有限公司", "brand", Status.RECOMMENDED),
    ("广州天河物业管理有限公司", "service", Status.RECOMMENDED),
    ("广州越秀建设工程有限公司", "engineering", Status.RECOMMENDED),
    ("广州南粤精密仪器有限公司", "enterprise", Status.RECOMMENDED),
    ("广州羊城食品股份有限公司", "product", Status.RECOMMENDED),
    ("广州岭南酒店管理有限公司", "service", Status.RECOMMENDED),
]


@transaction.atomic
def load_application_demo(campaign, plan=None) -> int:
    if campaign is None or campaign.applications.exists():
        return 0
    plan = PLAN if plan is None else plan
    rng = random.Random(20261126 if plan is PLAN else 20251126)
    pdf = evidence_pdf()
    for agency in Organisation.objects.filter(kind="agency"):
        if not AgencySeal.objects.filter(agency=agency).exists():
            staff = _user_of(agency, Role.AGENCY_STAFF)
            path, digest, _size = store_upload(
                SimpleUploadedFile("seal.png", seal_png(agency.name)),
                folder="seals",
                suffix=".png",
            )
            AgencySeal.objects.create(
                agency=agency,
                file_path=path,
                content_type="image/png",
                sha256=digest,
                uploaded_by=staff,
            )
    count = 0
    for name, category, stage in plan:
        organisation = Organisation.objects.get(name=name)
        applicant = _user_of(organisation, Role.ENTERPRISE_USER)
        trades = (
            [organisation.trade]
            if category in ("brand", "enterprise") and organisation.trade
            else []
        )
        data_year = campaign.categories.get(category=category).data_year
        spec = form_spec(category)
        full = sample_form_data(
            spec, category=category, organisation=organisation, data_year=data_year, trades=trades
        )
        if category == "engineering":
            full["project_name"] = (
                f"{organisation.name[2:6]}承建的广州市重点项目{rng.randrange(1, 9)}期工程"
            )
        application = Application.objects.create(
            campaign=campaign,
            category=category,
            organisation=organisation,
            agency=agencies_of(organisation)[0],
            created_by=applicant,
            chosen_trades=trades,
            form_data=full
            if stage != Status.DRAFT
            else {k: v for i, (k, v) in enumerate(full.items()) if i < 12},
        )
        count += 1
        confirmation, _created = Confirmation.objects.get_or_create(
            campaign=campaign, organisation=organisation
        )
        confirmation.data = {
            **sample_form_data(
                form_spec("confirmation"),
                category=category,
                organisation=organisation,
                data_year=data_year,
            ),
            "categories": sorted(set(confirmation.data.get("categories", [])) | {category}),
        }
        confirmation.signer, confirmation.signed_on = (
            organisation.legal_representative,
            timezone.localdate(),
        )
        confirmation.save()
        if stage == Status.DRAFT and category != "engineering":
            continue  # a draft: a few fields typed, nothing else yet
        for key, value in sample_materials(category, organisation_name=organisation.name).items():
            setattr(application, key, value)
        application.save()
        kind = {
            "brand": AttachmentKind.TRADEMARK,
            "product": AttachmentKind.TRADEMARK,
            "enterprise": AttachmentKind.BUSINESS_LICENCE,
            "engineering": AttachmentKind.AWARD,
        }.get(category)
        if kind:
            path, digest, size = store_upload(
                SimpleUploadedFile("evidence.pdf", pdf), folder="evidence", suffix=".pdf"
            )
            Attachment.objects.create(
                application=application,
                kind=kind,
                file_path=path,
                original_name=f"{AttachmentKind(kind).label}.pdf",
                content_type="application/pdf",
                size_bytes=size,
                sha256=digest,
                uploaded_by=applicant,
            )
        # The signed and sealed 附件2 and application form, scanned (the same stand-in PDF).
        for scan in (AttachmentKind.SIGNED_CONFIRMATION, AttachmentKind.SIGNED_FORM):
            path, digest, size = store_upload(
                SimpleUploadedFile("scan.pdf", pdf), folder="evidence", suffix=".pdf"
            )
            Attachment.objects.create(
                application=application,
                kind=scan,
                file_path=path,
                original_name=f"{AttachmentKind(scan).label}.pdf",
                content_type="application/pdf",
                size_bytes=size,
                sha256=digest,
                uploaded_by=applicant,
            )
        # Recommended applicants are surveyed in the demo: their lists are large enough for a
        # sample that gives an index (the fieldwork demo draws from them).
        size = rng.randrange(35, 80) + (140 if stage == Status.RECOMMENDED else 0)
        _customers(application, rng, size)
        if category == "engineering":
            # The applicant proposes the client's contact (续表4-4); the agency sends the link
            # once the application is submitted (below).
            ClientAppraisal.objects.create(
                application=application,
                client_name=full.get("client_name", "建设单位"),
                contact_name="王工程师",
                contact_email=f"wang.gcs{application.pk}@client.example.com",
                contact_phone="020-87654321",
                proposed_by=applicant,
                proposed_at=timezone.now(),
            )
        if stage in (Status.DRAFT,):
            continue
        if stage == Status.WITHDRAWN:
            services.move_application(application=application, to=Status.WITHDRAWN, by=applicant)
            continue
        services.move_application(application=application, to=Status.SUBMITTED, by=applicant)
        application.refresh_from_db()
        agency_user = _user_of(application.agency, Role.AGENCY_STAFF)
        if category == "engineering":
            _client_appraisal(application, agency_user, answered=stage == Status.RECOMMENDED)
        if stage == Status.SUBMITTED:
            continue
        decision = {
            Status.RECOMMENDED: "recommend",
            Status.NOT_RECOMMENDED: "not_recommend",
            Status.RETURNED: "return",
        }[stage]
        agency_services.recommend(
            application=application,
            by=agency_user,
            decision=decision,
            opinion=OPINIONS[decision],
            signer=agency_user.display_name,
            signed_on=timezone.localdate(),
        )
    return count


def _client_appraisal(application, agency_user, *, answered: bool) -> None:
    """The agency sends the link to the proposed contact; the client answers when `answered`."""
    _appraisal, token = send_appraisal_link(application=application, by=agency_user)
    if answered:
        submit_appraisal(
            token=token,
            data={
                "quality": "工程质量优良，主体结构验收一次通过，观感质量好。",
                "construction_service": "施工组织有序，响应及时，文明施工到位。",
                "design_suggestions": "对机电管线综合提出了优化建议，节约了造价。",
                "maintenance": "保修期内回访及时，问题处理闭环。",
                "overall": "总体满意。",
                "improvements": "建议进一步加强进度信息的共享。",
                "signer": "王工程师",
                "signed_on": timezone.localdate(),
            },
        )
    application.refresh_from_db()


# After the people, the campaigns and the measurements: applications need all three.
DEMO_ORDER = 40


def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo`` (see ``portal``)."""
    from manyi.campaigns.models import Campaign
    from manyi.campaigns.selectors import current_campaign

    current = current_campaign()
    load_application_demo(current)
    if current is not None:
        previous = Campaign.objects.filter(year=current.year - 1).first()
        load_application_demo(previous, plan=LAST_YEAR_PLAN)
