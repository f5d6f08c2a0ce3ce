"""The forms of violations and sanctions; the services check what matters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.common.punctuation import bracketed, join_words
from manyi.supervision.models import ViolationKind
from manyi.supervision.sanctions import selectors

EVIDENCE_HELP = _("PDF、JPEG 或 PNG，每个不超过 10 MB，可一次选择多个文件")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); their content is checked by
    the service, so a renamed page is refused whatever it is called."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# ------------------------------------------------------------------------------------------
# Violations


class ViolationForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("违规类型"), choices=[("", _("请选择")), *ViolationKind.choices]
    )
    organisation = forms.CharField(
        label=_("违规单位"),
        max_length=200,
        help_text=_("填写单位全称、统一社会信用代码或名称中的关键字"),
    )
    title_number = forms.CharField(
        label=_("涉及的称号证书编号（可选）"), max_length=30, required=False
    )
    found_on = forms.DateField(label=_("发现日期"), widget=DateInput())
    description = forms.CharField(
        label=_("违规情况"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明宣传的载体、内容、时间，以及造成的后果"),
    )
    evidence = MultipleFileField(label=_("证据材料"), required=False, help_text=EVIDENCE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_on"].initial = timezone.localdate()

    def clean_organisation(self):
        matches = selectors.organisations_matching(self.cleaned_data["organisation"])
        if not matches:
            raise forms.ValidationError(_("没有找到该单位，请检查名称或统一社会信用代码"))
        if len(matches) > 1:
            names = [m.name for m in matches[: selectors.MATCHES_SHOWN]]
            raise forms.ValidationError(
                _("找到多个单位：%(names)s。请填写全称或统一社会信用代码")
                % {"names": join_words(names)}
            )
        return matches[0]

    def clean_title_number(self):
        number = self.cleaned_data["title_number"].strip()
        if not number:
            return None
        title = selectors.title_numbered(number)
        if title is None:
            raise forms.ValidationError(_("没有该编号的称号"))
        return title

    def clean(self):
        data = super().clean()
        organisation, title = data.get("organisation"), data.get("title_number")
        if (
            organisation is not None
            and title is not None
            and title.organisation_id != organisation.pk
        ):
            self.add_error("title_number", _("该称号不属于所填单位"))
        return data


class EvidenceForm(BootstrapMixin, forms.Form):
    evidence = MultipleFileField(label=_("证据材料"), help_text=EVIDENCE_HELP)
    description = forms.CharField(label=_("说明（可选）"), max_length=200, required=False)


class RevokeForm(BootstrapMixin, forms.Form):
    title = forms.ModelChoiceField(label=_("称号"), queryset=None, empty_label=_("请选择"))
    facts = forms.CharField(
        label=_("事实和依据"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, violation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = selectors.valid_titles_of(violation.organisation)
        self.fields["title"].label_from_instance = lambda t: f"{t.number} {t.subject}"
        if violation.title_id:
            self.fields["title"].initial = violation.title_id
        self.fields["facts"].initial = violation.description


# ------------------------------------------------------------------------------------------
# Sanctions


class _DecisionFields(forms.Form):
    reason = forms.CharField(
        label=_("事由"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明违反的规定、事实和依据；将通知当事人"),
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def decision(self) -> dict:
        """What every sanction's service takes alike: the reason, the date and, where the form
        asks it, whether the sanction is public (a disqualified agency always is, Art. 24)."""
        return {
            name: self.cleaned_data[name]
            for name in ("reason", "decided_on", "public")
            if name in self.fields
        }


class DisqualifyForm(BootstrapMixin, _DecisionFields):
    agency = forms.ModelChoiceField(label=_("推进机构"), queryset=None, empty_label=_("请选择"))
    field_order = ("agency", "reason", "decided_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.disqualifiable_agencies()


class RemoveExpertForm(BootstrapMixin, _DecisionFields):
    expert = forms.ModelChoiceField(label=_("专家"), queryset=None, empty_label=_("请选择"))
    public = forms.BooleanField(
        label=_("在年度公示中公示"),
        required=False,
        help_text=_("第二十四条要求公示的是被取消资格的推进机构等组织；人员可不公示"),
    )
    field_order = ("expert", "reason", "decided_on", "public")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = selectors.experts_in_pool().select_related(
            "expert_profile"
        )
        self.fields["expert"].label_from_instance = _expert_label


def _expert_label(user) -> str:
    profile = getattr(user, "expert_profile", None)
    employer = profile.employer if profile is not None and profile.employer else ""
    return f"{user.display_name}{bracketed(employer or user.email)}"


class DisableAccountForm(BootstrapMixin, _DecisionFields):
    email = forms.EmailField(label=_("账号（电子邮箱）"))
    public = forms.BooleanField(label=_("在年度公示中公示"), required=False)
    field_order = ("email", "reason", "decided_on", "public")

    def clean_email(self):
        person = selectors.person_with_email(self.cleaned_data["email"])
        if person is None:
            raise forms.ValidationError(_("没有该电子邮箱的账号"))
        return person


class ReinstateForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("恢复资格的理由"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
