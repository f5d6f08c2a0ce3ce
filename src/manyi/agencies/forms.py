"""The public request form and the small forms of the staff's and members' pages. The services
check what matters; these only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.accounts.roles import AgencyScope
from manyi.agencies.models import AgencyRequest
from manyi.common.forms import BootstrapMixin


class AgencyRequestForm(BootstrapMixin, forms.ModelForm):
    evidence = forms.FileField(
        label=_("资质证明材料（可选，PDF、JPEG 或 PNG，不超过 10 MB）"),
        required=False,
        help_text=_("如登记证书、主管部门批复等；仅供广州市质量协会审核使用"),
    )

    class Meta:
        model = AgencyRequest
        fields = (
            "name",
            "agency_scope",
            "agency_scope_detail",
            "district",
            "uscc",
            "address",
            "responsible_department",
            "responsible_person",
            "plan",
            "measures",
            "qualifications",
            "contact_name",
            "contact_title",
            "contact_mobile",
            "contact_email",
        )
        widgets = {
            "agency_scope": forms.RadioSelect,
            "plan": forms.Textarea(attrs={"rows": 5}),
            "measures": forms.Textarea(attrs={"rows": 5}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _("与登记证书上的名称一致"),
            "agency_scope": _("第八条：各地区、行业协会、用户委员会等机构"),
            "uscc": _("18位，见登记证书；没有的可不填"),
            "responsible_department": _("第八条：有主管部门"),
            "responsible_person": _("第八条：有专人负责，请填写姓名和职务"),
            "plan": _("第八条：有计划。本机构推进用户满意工程的年度工作计划"),
            "measures": _("第八条：有措施。如组织培训、交流、诊断和推荐的具体安排"),
            "qualifications": _("机构性质、成立时间、会员规模、相关工作经历等"),
            "contact_email": _("审核结果和认可后的登录邀请将发送至此邮箱"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].help_text = _("地区推进机构请选择所在区")
        self.fields["agency_scope"].choices = AgencyScope.choices


class DecisionNoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("认可意见（可选）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(BootstrapMixin, forms.Form):
    """A required reason (refusal, suspension, leaving, ending a membership)."""

    reason = forms.CharField(
        label=_("原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].required = required
