"""Forms of the client appraisal (续表4-4): the client's contact and the client's answer."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from manyi.applications.appraisals import services as appraisals
from manyi.common.forms import BootstrapMixin


class ClientContactForm(BootstrapMixin, forms.Form):
    """The client's contact: proposed by the applicant, checked (and corrected) by the agency.

    The form only asks that each part be there; the service checks them (and says why in
    Chinese)."""

    client_name = forms.CharField(label=gettext_lazy("建设单位（用户）名称"), max_length=200)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=60)
    contact_email = forms.CharField(
        label=gettext_lazy("电子邮箱"),
        max_length=254,
        help_text=gettext_lazy("评价链接将发送到该邮箱；不能是申报单位自己的邮箱"),
        widget=forms.EmailInput,
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=30,
        help_text=gettext_lazy("手机号码，或带区号的固定电话，如 020-83341934"),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, client_name_from_form: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["required"] = appraisals.contact_missing_message(name)
        if client_name_from_form:
            # The application form names the client; the contact uses that name.
            del self.fields["client_name"]


class AppraisalForm(BootstrapMixin, forms.Form):
    """The client's answer. Required-field messages come from the service, which checks again."""

    signer = forms.CharField(label=gettext_lazy("建设单位（用户）签字"), max_length=200)
    signed_on = forms.DateField(
        label=gettext_lazy("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scan = forms.FileField(
        label=gettext_lazy("签字盖章页扫描件（可选）"),
        required=False,
        help_text=gettext_lazy("PDF、JPEG 或 PNG，不超过 10 MB"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        points = {
            name: forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": appraisals.MAX_TEXT}),
            )
            for name, label in appraisals.POINTS
        }
        self.fields = {**points, **self.fields}
        for name in (*points, "signer", "signed_on"):
            self.fields[name].error_messages["required"] = appraisals.missing_message(name)
        self.fields["signed_on"].error_messages["invalid"] = appraisals.missing_message("signed_on")
        self.fields["signed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        # Bootstrap classes were set before the point fields existed.
        for name in points:
            self.fields[name].widget.attrs["class"] = "form-control"
