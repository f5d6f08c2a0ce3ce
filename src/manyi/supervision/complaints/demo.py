"""The demo's complaints: one open complaint about a granted title, taken up by committee
staff, and one just received that nobody could match, both through the public service.

Called by the supervision demo (not collected on its own: `common.registry` finds an app's
`demo` module). Idempotent: nothing is added when a complaint already exists.
"""

from django.utils.translation import gettext as _

from manyi.accounts.models import User
from manyi.supervision.models import Complaint
from manyi.titles.models import Title, TitleStatus

STAFF = "staff@demo.manyi.cn"
# (what the complainant typed — None: the number of the demo's first valid title —, facts)
COMPLAINTS = (
    (
        None,
        "小区物业承诺的二十四小时维修热线连续三晚无人接听，电梯停运两天无人处理；"
        "物业在小区公告栏宣传“用户满意”称号，却未标明年度。",
    ),
    ("街口那家装修公司", "装修合同约定的工期拖延三个月，多次联系无果。"),
)


def load_demo(report) -> None:
    from manyi.supervision.complaints.services import submit_complaint, triage_complaint

    if Complaint.objects.exists():
        return
    title = Title.objects.filter(status=TitleStatus.VALID).order_by("number").first()
    staff = User.objects.filter(email=STAFF).first()
    if title is None or staff is None:
        return
    made = []
    for n, (about, facts) in enumerate(COMPLAINTS, start=1):
        complaint, _token = submit_complaint(
            about=about or title.number,
            facts=facts,
            name=f"演示投诉人{n}",
            contact=f"1390000000{n}",
            consent=True,
            ip=f"192.0.2.{n}",
        )
        made.append(complaint)
    triage_complaint(
        complaint=made[0],
        by=staff,
        major=False,
        title_number=title.number,
        note=_("属于本活动范围，受理调查；先电话联系投诉人核实。"),
    )
    report.lines.append(
        _("  投诉：%(n)d 件待处理（其中 1 件已受理调查，关于 %(number)s）")
        % {"n": len(made), "number": title.number}
    )
