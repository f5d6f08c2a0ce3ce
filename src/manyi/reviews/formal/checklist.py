"""The formal review's checklist: each item computed from the application as submitted.

The checks reuse the submission checks (`applications.submission`), so the committee sees
the same words the applicant saw, plus what only exists after recommendation: the 活动确认表
version frozen with the submission, and the client's appraisal (续表4-4) actually received.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.applications import submission
from manyi.applications.access import has_needed_appraisal


@dataclass
class CheckItem:
    code: str
    label: str
    ok: bool
    details: list[str] = field(default_factory=list)
    note: str = ""


def _confirmation(application) -> list[str]:
    version = application.confirmation_version
    if version is None or not version.signer or not version.signed_on:
        return [_("提交时没有负责人签署的活动确认表（附件2）")]
    if application.category not in (version.data or {}).get("categories", []):
        return [
            _("提交时的活动确认表（附件2）未勾选“%(category)s”")
            % {"category": application.get_category_display()}
        ]
    return []


def _appraisal(application) -> list[str]:
    if has_needed_appraisal.test(None, application):
        return []
    return [_("尚未收到建设单位（用户）满意度评价鉴定意见（续表4-4）")]


# code, label, check (application -> list of what is missing)
ITEMS = (
    ("confirmation", gettext_lazy("活动确认表（附件2）已签署并有效"), _confirmation),
    ("form", gettext_lazy("申请表填写完整，空项均说明原因"), submission.form_problems),
    ("materials", gettext_lazy("四项材料字数符合要求"), submission.material_problems),
    ("evidence", gettext_lazy("证明材料齐全"), submission.evidence_problems),
    ("signed_scans", gettext_lazy("签字盖章扫描件齐全"), submission.signed_scan_problems),
    ("customers", gettext_lazy("用户名单已通过检查且数量足够"), submission.customer_list_problems),
    ("appraisal", gettext_lazy("工程类已收到建设单位评价意见（续表4-4）"), _appraisal),
)
CODES = tuple(code for code, _label, _check in ITEMS)


def checklist(application, notes: dict | None = None) -> list[CheckItem]:
    """Every item with its computed result and the staff's note (from FormalReview.checks)."""
    notes = notes or {}
    items = []
    for code, label, check in ITEMS:
        if code == "appraisal" and application.category != "engineering":
            continue
        details = list(check(application))
        items.append(
            CheckItem(
                code=code,
                label=str(label),
                ok=not details,
                details=details,
                note=(notes.get(code) or {}).get("note", ""),
            )
        )
    return items


def missing_items(application) -> list[dict]:
    """What the notice would list: one entry per thing missing, in the checklist's order."""
    return [
        {"code": item.code, "text": detail}
        for item in checklist(application)
        if not item.ok
        for detail in item.details
    ]
