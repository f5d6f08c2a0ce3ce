from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import RECOMMENDING_AGENCY, ExpertProfile, Organisation, phone_validator
from manyi.accounts.postcode import normalise_postcode, validate_postcode
from manyi.accounts.roles import ROLE_ORG_KINDS, Role, Trade
from manyi.accounts.services import ORGANISATION_PROFILE_FIELDS
from manyi.accounts.uscc import normalise_uscc, validate_uscc
from manyi.common.forms import BootstrapMixin
from manyi.common.punctuation import bracketed


class EnterpriseSignupForm(BootstrapMixin, forms.Form):
    """Extra fields on allauth's sign-up form: the person and the enterprise they register."""

    full_name = forms.CharField(label=_("您的姓名"), max_length=100)
    org_name = forms.CharField(label=_("企业名称"), max_length=200)
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=25, help_text=_("18位，见营业执照")
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=60)
    trade = forms.ChoiceField(
        label=_("企业类型"),
        choices=Trade.choices,
        help_text=_("决定申请表中填写工业、工程或服务企业栏目"),
    )
    industry = forms.CharField(label=_("所属行业"), max_length=60)
    address = forms.CharField(label=_("联系地址"), max_length=200)
    # Longer than six, so that "510 110" reaches clean_postcode and the one postcode rule.
    postcode = forms.CharField(label=_("邮政编码"), max_length=12, required=False)
    contact_mobile = forms.CharField(label=_("手机"), max_length=20)
    agency = forms.ModelChoiceField(
        label=_("所属推进机构"),
        queryset=Organisation.objects.filter(RECOMMENDING_AGENCY),
        required=False,
        empty_label=_("暂不选择"),
        help_text=_("您所在地区或行业的推进机构；选择后由该机构确认"),
    )

    field_order = [
        "email",
        "password1",
        "password2",
        "full_name",
        "org_name",
        "uscc",
        "legal_representative",
        "trade",
        "industry",
        "address",
        "postcode",
        "contact_mobile",
        "agency",
    ]

    # Whether the enterprise is already registered is not checked here: the form must answer
    # the same either way, so that it tells no one which enterprises are registered.
    # `register_enterprise` handles a known one (it emails the person and the managers).
    def clean_uscc(self):
        code = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(code)
        return code

    def clean_org_name(self):
        return self.cleaned_data["org_name"].strip()

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value:
            validate_postcode(value)
        return value

    def clean_contact_mobile(self):
        value = self.cleaned_data["contact_mobile"].strip()
        phone_validator(value)
        return value

    def signup(self, request, user):
        from manyi.accounts.services import register_enterprise

        data = dict(self.cleaned_data)
        data["name"] = data.pop("org_name")
        data["contact_person"] = data["full_name"]
        register_enterprise(user=user, data=data)


def _formfield(model_field, **kwargs):
    # Addresses typed without a scheme are taken as https (Django 6's default, said now).
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = _formfield
        fields = list(ORGANISATION_PROFILE_FIELDS)

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data.get("postcode") or "")
        if value:
            validate_postcode(value)
        return value


class InviteForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("电子邮箱"))
    full_name = forms.CharField(label=_("姓名"), max_length=100, required=False)
    organisation = forms.ModelChoiceField(label=_("组织"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, organisations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]

    def clean(self):
        data = super().clean()
        org, role = data.get("organisation"), data.get("role")
        if org and role and org.kind not in ROLE_ORG_KINDS[role]:
            self.add_error("role", _("该角色不属于此类组织"))
        return data


class AcceptInvitationForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    password1 = forms.CharField(label=_("设置密码"), widget=forms.PasswordInput, min_length=10)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput)

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ExpertProfileForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = [
            "title",
            "employer",
            "specialties",
            "industries",
            "district",
            "available",
            "unavailable_note",
        ]


class DeclineMemberForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("不予确认的原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class AgencyJoinForm(BootstrapMixin, forms.Form):
    """An enterprise asks another promotion agency (regional or industry) to take it as a member."""

    agency = forms.ModelChoiceField(
        label=_("推进机构"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("所在地区或所属行业的推进机构（地市、行业用户委员会、质量协会）；由该机构确认"),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = _agency_label


def _agency_label(agency) -> str:
    scope = agency.get_agency_scope_display()
    detail = " · ".join(part for part in (scope, agency.agency_scope_detail) if part)
    return f"{agency.name}{bracketed(detail)}" if detail else agency.name
