"""The article form (its rich-text fields carry the toolbar's hooks) and the image upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.common.forms import BootstrapMixin
from manyi.programme.language import shown
from manyi.programme.models import ArticleKind, PlannedActivity
from manyi.programme.news.services import LIMITS, MAX_BODY
from manyi.programme.plans.selectors import activities_to_link


def rich_text(rows: int) -> forms.Textarea:
    # static/js/rich_text.js finds these by data-rich-text and puts its toolbar above them.
    return forms.Textarea(attrs={"rows": rows, "data-rich-text": "", "spellcheck": "false"})


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # In the reader's language where staff wrote one; title first, as a year before it
        # reads like the plan's own name ("2025 · theme").
        return f"{shown(obj, 'title')} · {obj.plan.year}"


class ArticleForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("栏目"), choices=ArticleKind.choices)
    title = forms.CharField(label=_("标题"), max_length=LIMITS["title"])
    summary = forms.CharField(
        label=_("摘要"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LIMITS["summary"],
        required=False,
        help_text=_("列表、首页和订阅源中显示；不填写时取正文开头。"),
    )
    body = forms.CharField(
        label=_("正文"),
        widget=rich_text(14),
        max_length=MAX_BODY,
        help_text=_(
            "可使用工具栏设置格式、插入链接和图片。保存时按安全规则清理：脚本、样式和外部图片不会保留。"
        ),
    )
    organisation = OrganisationField(
        label=_("相关单位"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("（无）"),
        help_text=_("先进经验与标杆文章必须注明先进单位或标杆企业。"),
    )
    planned_activity = ActivityField(
        label=_("对应的计划活动"),
        queryset=PlannedActivity.objects.none(),
        required=False,
        empty_label=_("（无）"),
    )
    title_en = forms.CharField(
        label=_("标题（英文，可选）"), max_length=LIMITS["title_en"], required=False
    )
    summary_en = forms.CharField(
        label=_("摘要（英文，可选）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LIMITS["summary_en"],
        required=False,
    )
    body_en = forms.CharField(
        label=_("正文（英文，可选）"),
        widget=rich_text(8),
        max_length=MAX_BODY,
        required=False,
        help_text=_("未填写英文时，英文页面显示中文内容并注明仅有中文版本。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=OrgKind.ENTERPRISE, is_active=True
        ).order_by("name")
        self.fields["planned_activity"].queryset = activities_to_link()


class ImageForm(BootstrapMixin, forms.Form):
    # The article being edited, when the editor uploads: the image becomes that article's.
    article = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("图片"),
        # The limit is news.images.MAX_BYTES.
        help_text=_("PNG、JPEG、GIF 或 WebP，不超过 5 MB。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤下原因（可选）"), max_length=500, required=False)
