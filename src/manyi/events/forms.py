"""The small forms of the events' pages (the services check the rest)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.common.forms import BootstrapMixin
from manyi.common.punctuation import bracketed
from manyi.events import selectors
from manyi.events.models import EventFormat, EventKind

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def host_label(organisation) -> str:
    if getattr(organisation, "holds_title", False):
        return f"{organisation.name}{bracketed(_('持有有效称号'))}"
    return organisation.name


class HostField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return host_label(obj)


class ActivityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.year} · {obj.get_kind_display()} · {obj.title}"


class EventForm(BootstrapMixin, forms.Form):
    organiser = forms.ModelChoiceField(
        label=_("主办单位"), queryset=Organisation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    title_en = forms.CharField(label=_("活动名称（英文，可选）"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("活动介绍"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    summary_en = forms.CharField(
        label=_("活动介绍（英文，可选）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        required=False,
        help_text=_("填写后，英文界面的访问者看到英文名称和介绍。"),
    )
    formats = forms.MultipleChoiceField(
        label=_("活动形式"), choices=EventFormat.choices, widget=forms.CheckboxSelectMultiple
    )
    agenda = forms.CharField(
        label=_("日程安排"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
        help_text=_("每行一项，例如：09:00 签到"),
    )
    host = HostField(
        label=_("承办（标杆）企业"),
        queryset=selectors.enterprises(),
        required=False,
        help_text=_(
            "标杆学习现场研修必填。列表先列出持有有效称号的企业；可输入名称查找其他已登记企业。"
        ),
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=MOMENT)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=MOMENT)
    place = forms.CharField(label=_("地点"), max_length=200)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=10_000)
    registration_closes_at = forms.DateTimeField(label=_("报名截止时间"), widget=MOMENT)
    planned_activity = ActivityField(
        label=_("对应的年度计划活动（可选）"),
        queryset=selectors.planned_activities(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, organisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisers = list(organisers)
        field = self.fields["organiser"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisers])
        if len(organisers) == 1:
            self.initial.setdefault("organiser", organisers[0].pk)
        self._limit_hosts()

    def _limit_hosts(self):
        """The select lists the title holders (and the chosen host); the search box brings
        other enterprises in (`events:host_options`). The queryset still validates any
        registered enterprise."""
        field = self.fields["host"]
        candidates = selectors.host_candidates("")
        chosen = (
            self.data.get(self.add_prefix("host")) if self.is_bound else self.initial.get("host")
        )
        chosen_pk = str(getattr(chosen, "pk", chosen) or "")
        if chosen_pk.isdecimal() and chosen_pk not in {str(o.pk) for o in candidates}:
            extra = selectors.enterprises().filter(pk=int(chosen_pk)).first()
            if extra is not None:
                candidates.insert(0, extra)
        field.choices = [("", "—")] + [(o.pk, host_label(o)) for o in candidates]


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        # The service says what is missing, in its own words.
        required=False,
        help_text=_("每位报名人员都会收到邮件，邮件中包含这条说明。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required_mark = True


class RegistrationForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    organisation_name = forms.CharField(label=_("单位"), max_length=200)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    mobile = forms.CharField(label=_("手机"), max_length=20)
    email = forms.EmailField(
        label=_("电子邮箱"), help_text=_("报名结果和您的报名页面链接将发送到这个邮箱。")
    )


class MaterialForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("资料名称"), max_length=200)
    # The limit is events.materials.MAX_BYTES (20 MB), written out so the words stay lazy.
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "PDF、Word、PowerPoint、Excel 或 JPEG/PNG 图片，不超过 20 MB。"
            "活动发布后，任何人都可以在公开的活动页面下载这些资料。"
        ),
    )


class ShareForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("分享单位（已登记）"),
        queryset=Organisation.objects.filter(
            kind__in=[OrgKind.ENTERPRISE, OrgKind.AGENCY], is_active=True
        ),
        required=False,
    )
    organisation_name = forms.CharField(
        label=_("分享单位（未登记的，填写名称）"), max_length=200, required=False
    )
    speaker = forms.CharField(label=_("分享人"), max_length=60)
    title = forms.CharField(label=_("经验题目"), max_length=200)
    summary = forms.CharField(
        label=_("内容摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    article = forms.ModelChoiceField(
        label=_("关联的先进经验文章（可选）"),
        queryset=selectors.practice_articles(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            # The likely sharers: the host, the registrants' organisations, the title holders.
            field = self.fields["organisation"]
            options = selectors.share_organisations(event)
            field.choices = [("", "—")] + [(o.pk, o.name) for o in options]
