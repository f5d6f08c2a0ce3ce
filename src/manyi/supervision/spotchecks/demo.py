"""The demo's spot check: the work department's inspector plans a weighted check of this
year's title holders, draws it (seeded, so the demo is the same every time), and records
findings: one holder passes with a photo report, one must rectify within a month, the rest
wait to be visited.

Called by supervision's demo loader after the titles exist (`load_spot_check_demo(report)`).
Everything goes through the services people use, so the activity log reads as it would.
Idempotent: a check of the same name is left as it is.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import User
from manyi.supervision.models import CheckResult, Population, SpotCheck
from manyi.titles.models import Title, TitleStatus

INSPECTOR = "inspector@demo.manyi.cn"
SEED = 20260421
NAME = "获证组织称号使用情况抽查（第一批）"
PURPOSE = "核查获证组织对外宣传称号时是否标明获评年份（第二十五条），用户满意工程措施是否持续实施。"
FINDINGS = {
    CheckResult.PASS: "现场查看门店、官网和宣传册，称号使用均标明获评年份；用户投诉台账完整，"
    "近半年投诉均在七日内答复。",
    CheckResult.RECTIFY: "官网首页和两款产品包装使用称号时未标明获评年份；"
    "用户满意度季度测量自去年第四季度起中断。",
}
# The smallest well-formed PDF: the demo's "photo report".
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\nstartxref\n0\n%%EOF\n"


def load_spot_check_demo(report=None) -> SpotCheck | None:
    from manyi.supervision.spotchecks.services import (
        draw_spot_check,
        plan_spot_check,
        record_item,
    )

    existing = SpotCheck.objects.filter(name=NAME).first()
    if existing is not None:
        return existing
    inspector = User.objects.filter(email=INSPECTOR).first()
    if inspector is None or not Title.objects.filter(status=TitleStatus.VALID).exists():
        return None
    check = plan_spot_check(
        by=inspector,
        name=NAME,
        population=Population.TITLE_HOLDERS,
        size=3,
        weighted=True,
        purpose=PURPOSE,
    )
    check = draw_spot_check(spot_check=check, by=inspector, seed=SEED)
    items = list(check.items.order_by("position"))
    if items:
        record_item(
            item=items[0],
            by=inspector,
            result=CheckResult.PASS,
            findings=FINDINGS[CheckResult.PASS],
            uploads=[SimpleUploadedFile("现场检查记录.pdf", PDF, "application/pdf")],
        )
    if len(items) > 1:
        record_item(
            item=items[1],
            by=inspector,
            result=CheckResult.RECTIFY,
            findings=FINDINGS[CheckResult.RECTIFY],
            rectify_by=timezone.localdate() + timedelta(days=30),
        )
    if report is not None:
        report.lines.append(
            _("  抽查：%(name)s（%(n)d 个对象）  /supervision/spot-checks/%(pk)d/")
            % {"name": check.name, "n": len(items), "pk": check.pk}
        )
    return check
