from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import ExpertProfile, Organisation, phone_validator
from manyi.accounts.roles import ROLE_ORG_KINDS, OrgKind, Role, Trade
from manyi.accounts.services import ORGANISATION_PROFILE_FIELDS
from manyi.accounts.uscc import normalise_uscc, validate_uscc
from manyi.common.forms import BootstrapMixin


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
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    contact_mobile = forms.CharField(label=_("手机"), max_length=20)
    agency = forms.ModelChoiceField(
        label=_("所属推进机构"),
        queryset=Organisation.objects.filter(kind=OrgKind.AGENCY, is_active=True),
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

    def clean_uscc(self):
        code = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(code)
        if Organisation.objects.filter(uscc=code).exists():
            raise ValidationError(
                _("该统一社会信用代码已注册，请联系本单位已有账户的同事邀请您加入")
            )
        return code

    def clean_org_name(self):
        name = self.cleaned_data["org_name"].strip()
        if Organisation.objects.filter(kind=OrgKind.ENTERPRISE, name=name).exists():
            raise ValidationError(_("该企业名称已注册"))
        return name

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
        fields = ["title", "employer", "specialties", "industries", "district"]


class DeclineMemberForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("不予确认的原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
