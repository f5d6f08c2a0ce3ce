"""The call screen's outcome form and the manager's interviewer choice."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.fieldwork.models import CallOutcome

OUTCOMES = [(v, label) for v, label in CallOutcome.choices if v != CallOutcome.COMPLETED]


class OutcomeForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("通话结果"), choices=OUTCOMES, widget=forms.RadioSelect)
    callback_at = forms.DateTimeField(
        label=_("预约回拨时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("选择“预约回拨”时必填"),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=300)


class InterviewersForm(BootstrapMixin, forms.Form):
    interviewers = forms.ModelMultipleChoiceField(
        label=_("访问员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名访问员")},
    )

    def __init__(self, *args, memberships, loads, **kwargs):
        super().__init__(*args, **kwargs)
        from manyi.accounts.models import User

        self.fields["interviewers"].queryset = User.objects.filter(
            pk__in=[m.user_id for m in memberships]
        ).order_by("full_name", "email")
        self.fields["interviewers"].label_from_instance = lambda u: with_load(u, loads)


def with_load(user, loads) -> str:
    return gettext("%(name)s（手头待联系 %(n)d 个）") % {
        "name": user.display_name,
        "n": loads.get(user.pk, 0),
    }


class ReassignForm(BootstrapMixin, forms.Form):
    """Move some contacts from one interviewer to another (one falls ill, one is faster)."""

    from_interviewer = forms.ModelChoiceField(label=_("转出访问员"), queryset=None)
    to_interviewer = forms.ModelChoiceField(label=_("转入访问员"), queryset=None)
    count = forms.IntegerField(label=_("转移样本数"), min_value=1)

    def __init__(self, *args, holders, memberships, loads, **kwargs):
        super().__init__(*args, prefix="move", **kwargs)
        from manyi.accounts.models import User

        self.fields["from_interviewer"].queryset = holders
        self.fields["to_interviewer"].queryset = User.objects.filter(
            pk__in=[m.user_id for m in memberships]
        ).order_by("full_name", "email")
        for name in ("from_interviewer", "to_interviewer"):
            self.fields[name].label_from_instance = lambda u: with_load(u, loads)
