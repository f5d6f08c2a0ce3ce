from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.accounts.uscc import normalise_uscc, validate_uscc
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Ban, Campaign, CampaignCategory, CampaignStatus, Reopening
from manyi.campaigns.services import CATEGORY_FIELDS
from manyi.common.forms import BootstrapMixin

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(BootstrapMixin, forms.ModelForm):
    """The campaign's own fields; the year only when it is created."""

    class Meta:
        model = Campaign
        fields = ["year", "title", "theme", "work_plan", "opens_at", "closes_at"]
        widgets = {
            "opens_at": datetime_widget(),
            "closes_at": datetime_widget(),
            "work_plan": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "title": _("留空则为“申报××年广州市实施用户满意工程先进单位”"),
            "theme": _("第九条：广州市质量协会确定的年度推进主题"),
            "closes_at": _("截止后，除工作人员单独开放的申报单位外，不能再提交或修改"),
        }

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if not creating:
            del self.fields["year"]

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("截止时间应晚于开始受理时间"))
        return data


# Art. 18: the training a category asks for before an organisation applies
# (`training.requirements.training_problems` checks it at submission).
TRAINING_FIELDS = ("min_training_hours", "min_trained_employees")


class CategoryForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CampaignCategory
        fields = [*CATEGORY_FIELDS, *(f for f in TRAINING_FIELDS if f not in CATEGORY_FIELDS)]
        help_texts = {
            "min_training_hours": _(
                "本单位职工在申报年度及上一年度开始的培训班中出勤并考核合格的学时合计"
                "（如2026年申报，计2025年和2026年）；0 表示不要求"
            ),
            "min_trained_employees": _(
                "同期（申报年度及上一年度）至少有多少名职工参加培训并考核合格；0 表示不要求"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without them (an older page) keeps what is set.
        for name in TRAINING_FIELDS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in TRAINING_FIELDS:
            if data.get(name) is None:
                data[name] = getattr(self.instance, name)
        return data


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=CampaignStatus.choices)
    # The state the person saw when pressing the button.
    seen = forms.ChoiceField(choices=CampaignStatus.choices, required=False)
    reason = forms.CharField(required=False, max_length=1000)


class QuotaForm(BootstrapMixin, forms.Form):
    """One number per agency × category. A cell left empty or 0 means no quota."""

    def __init__(self, *args, agencies, table: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for agency in agencies:
            cells = []
            for category, label in Category.choices:
                name = f"q-{agency.pk}-{category}"
                self.fields[name] = forms.IntegerField(
                    label=f"{agency.name} · {label}",
                    required=False,
                    min_value=0,
                    max_value=999,
                    initial=table.get((agency.pk, category)),
                    error_messages={"min_value": _("推荐名额不能为负数")},
                )
                cells.append((category, self[name]))
            self.rows.append((agency, cells))

    def changes(self):
        """(agency, category, quota) for each cell the form posted."""
        for agency, cells in self.rows:
            for category, bound in cells:
                if bound.html_name in self.data:
                    yield agency, category, self.cleaned_data.get(bound.name)


class BanForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Ban
        fields = ["uscc", "organisation_name", "source", "decided_on", "reason"]
        widgets = {"decided_on": date_widget(), "reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "uscc": _("18位，见营业执照"),
            "decided_on": _("自该日起五年内不再受理其申报（第二十六条）"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uscc"].max_length = 25
        self.fields["uscc"].widget.attrs["maxlength"] = 25
        self.fields["uscc"].validators = []

    def clean_uscc(self):
        code = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(code)
        return code


class LiftBanForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("解除原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("请写明解除原因")},
    )


class ReopeningForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Reopening
        fields = ["organisation", "category", "until", "reason"]
        widgets = {"until": datetime_widget(), "reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"until": _("到此时间后，该单位不能再提交或修改")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=OrgKind.ENTERPRISE, is_active=True
        ).order_by("name")
        self.fields["organisation"].empty_label = _("请选择申报单位")
        open_codes = set(
            campaign.categories.filter(is_open=True).values_list("category", flat=True)
        )
        self.fields["category"].choices = [c for c in Category.choices if c[0] in open_codes]

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise ValidationError(_("开放截止时间应晚于当前时间"))
        return until
