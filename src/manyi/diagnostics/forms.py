"""The diagnosis pages' forms. They shape the input; the services check the rest and say what
is wrong in Chinese."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.diagnostics.models import Priority
from manyi.diagnostics.services.answer import REPLY_MAX
from manyi.diagnostics.services.report import ROW_MAX, SUMMARY_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Rows a form without JavaScript offers beyond those already written: one more of each.
SPARE_ROWS = 1


class RequestForm(BootstrapMixin, forms.Form):
    agency = forms.ChoiceField(label=_("向哪个推进机构申请"))
    needs = forms.CharField(
        label=_("诊断需求"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("希望专家重点诊断的问题，例如投诉处理、售后服务、用户满意度测评的开展等。"),
    )
    preferred_dates = forms.CharField(
        label=_("希望的诊断时间"),
        max_length=200,
        required=False,
        help_text=_("例如：12月上旬的工作日"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=60)
    contact_mobile = forms.CharField(label=_("联系电话"), max_length=30)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class GroupForm(forms.Form):
    """The experts chosen (ticked) and the leader (one radio button) among the candidates."""

    experts = forms.MultipleChoiceField(label=_("选派的专家"), required=False)
    leader = forms.ChoiceField(label=_("组长"), required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.expert.pk), c.expert.display_name) for c in candidates]
        self.fields["experts"].choices = choices
        self.fields["leader"].choices = choices


class ScheduleForm(BootstrapMixin, forms.Form):
    day = forms.DateField(label=_("诊断日期"), widget=DATE)
    time = forms.TimeField(label=_("开始时间"), widget=TIME, initial=dt.time(9, 0))
    place = forms.CharField(label=_("诊断地点"), max_length=200)

    def starts_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))


def _texts(data, name: str) -> list[str]:
    return list(data.getlist(name))


class ReportForm(BootstrapMixin, forms.Form):
    """The overall assessment, and the finding and recommendation rows: repeated fields
    (``finding``; ``recommendation`` with ``priority``) so a row added in the browser, or the
    spare row the page always offers, arrives like any other."""

    summary = forms.CharField(
        label=_("总体评价"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=SUMMARY_MAX,
        required=False,
    )

    def findings(self) -> list[str]:
        return _texts(self.data, "finding")

    def recommendations(self) -> list[tuple[str, str]]:
        texts = _texts(self.data, "recommendation")
        priorities = _texts(self.data, "priority")
        priorities += [""] * (len(texts) - len(priorities))
        return list(zip(texts, priorities, strict=False))


def report_rows(*, findings, recommendations) -> dict:
    """The rows the page shows: those written (or typed and refused) and a spare one each."""
    found = [{"key": f"F{i}", "text": t} for i, t in enumerate(findings, start=1)]
    recs = [
        {"key": f"R{i}", "text": t, "priority": p}
        for i, (t, p) in enumerate(recommendations, start=1)
    ]
    for _n in range(SPARE_ROWS):
        found.append({"key": f"F{len(found) + 1}", "text": ""})
        recs.append({"key": f"R{len(recs) + 1}", "text": "", "priority": Priority.MEDIUM})
    return {
        "findings": found,
        "recommendations": recs,
        "priorities": Priority.choices,
        "row_max": ROW_MAX,
    }


class AnswerForm(BootstrapMixin, forms.Form):
    """The enterprise's reply, and the action rows (repeated ``action_driver``,
    ``action_description``, ``action_owner``, ``action_due_on``)."""

    reply = forms.CharField(
        label=_("企业对诊断报告的意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REPLY_MAX,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required by the service, which says so with the plan's other problems at once.
        self.fields["reply"].required_mark = True

    def actions(self) -> list[dict]:
        drivers = _texts(self.data, "action_driver")
        descriptions = _texts(self.data, "action_description")
        owners = _texts(self.data, "action_owner")
        dues = _texts(self.data, "action_due_on")
        n = max(len(drivers), len(descriptions), len(owners), len(dues), 0)
        rows = []
        for i in range(n):
            rows.append(
                {
                    "driver": drivers[i] if i < len(drivers) else "",
                    "description": descriptions[i] if i < len(descriptions) else "",
                    "owner": owners[i] if i < len(owners) else "",
                    "due_on": _date(dues[i] if i < len(dues) else ""),
                    "due_text": dues[i] if i < len(dues) else "",
                }
            )
        return rows


def _date(text: str):
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
