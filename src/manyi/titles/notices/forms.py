"""The public objection form and the staff's small forms; the services check what matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.applications.models import Application
from manyi.common.forms import BootstrapMixin
from manyi.titles.models import ObjectionStatus


class ApplicationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from manyi.titles.services import title_subject

        subject = title_subject(obj)
        name = obj.organisation.name
        return name if subject == name else f"{name}（{subject}）"


class ObjectionForm(BootstrapMixin, forms.Form):
    application = ApplicationChoice(
        label=_("异议对象"), queryset=Application.objects.none(), empty_label=_("请选择")
    )
    name = forms.CharField(
        label=_("异议人姓名或单位"),
        max_length=100,
        help_text=_("仅供调查核实使用，予以保密，不会公开或告知被异议单位"),
    )
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, help_text=_("电话或电子邮箱，仅供调查核实使用")
    )
    reasons = forms.CharField(
        label=_("异议事实和理由"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    evidence = forms.FileField(
        label=_("证明材料（可选，PDF、JPEG 或 PNG，不超过 10 MB）"), required=False
    )

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [d.application_id for d in decisions or ()]
        self.fields["application"].queryset = (
            Application.objects.filter(pk__in=ids)
            .select_related("organisation")
            .order_by("number", "pk")
        )


class OutcomeForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("调查结论"),
        choices=[
            (ObjectionStatus.UPHELD, ObjectionStatus.UPHELD.label),
            (ObjectionStatus.DISMISSED, ObjectionStatus.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(
        label=_("调查结论和理由"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
