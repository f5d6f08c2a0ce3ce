"""The filters of the fieldwork lists (common.listing): every applicant's survey, the quality
review, the interviewer's queue and the item bank. The choices a select offers come from what
the person may read (a survey firm never gets a list of the other firms)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import has_role
from manyi.accounts.models import Organisation
from manyi.accounts.roles import PROGRAMME_STAFF, OrgKind
from manyi.applications.models import Application
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Campaign
from manyi.common.listing import ListFilter, Search, Sort, YearChoice
from manyi.fieldwork import quality
from manyi.fieldwork.models import (
    ContactStatus,
    Item,
    ItemPurpose,
    QcStatus,
    Response,
    SampledContact,
    Survey,
    SurveyPurpose,
    SurveyStatus,
)
from manyi.fieldwork.qc.selectors import has_flag


def _applicant(survey) -> str:
    return f"{survey.application.organisation} · {survey.application.get_category_display()}"


class SurveyFilter(ListFilter):
    q = Search(
        fields=("application__organisation__name", "application__number"),
        label=_("企业名称或申报编号"),
    )
    campaign = YearChoice(
        queryset=Campaign.objects.filter(surveys__isnull=False).distinct().order_by("-year"),
        label=_("年度"),
        empty_label=_("全部"),
    )
    category = django_filters.ChoiceFilter(
        field_name="application__category",
        choices=Category.choices,
        label=_("申报类别"),
        empty_label=_("全部"),
    )
    status = django_filters.ChoiceFilter(
        choices=SurveyStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    purpose = django_filters.ChoiceFilter(
        choices=SurveyPurpose.choices, label=_("调查目的"), empty_label=_("全部")
    )
    firm = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=OrgKind.SURVEY_FIRM).order_by("name"),
        label=_("调查机构"),
        empty_label=_("全部"),
    )
    sort = Sort(
        fields=(
            ("application__organisation__name", "organisation"),
            ("application__category", "category"),
            ("firm__name", "firm"),
            ("status", "status"),
            ("target_completes", "target"),
            ("field_closes", "closes"),
            ("assigned_at", "assigned"),
        )
    )

    class Meta:
        model = Survey
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A firm's people see their own firm's surveys: another firm is nobody's business.
        if not has_role(self.request.user, *PROGRAMME_STAFF):
            self.filters.pop("firm")
            self.form.fields.pop("firm")


class ReviewFilter(ListFilter):
    """The responses to review: the flagged ones unless another state (or "all") is asked."""

    status = django_filters.ChoiceFilter(
        choices=[("all", _("全部")), *QcStatus.choices],
        empty_label=None,
        label=_("复核状态"),
        method="in_state",
    )
    survey = django_filters.ModelChoiceFilter(
        queryset=Survey.objects.none(), label=_("申报企业"), empty_label=_("全部")
    )
    flag = django_filters.ChoiceFilter(
        choices=list(quality.FLAG_LABELS.items()),
        label=_("质量问题"),
        empty_label=_("全部"),
        method="with_flag",
    )
    sort = Sort(
        fields=(
            ("survey__application__organisation__name", "organisation"),
            ("channel", "channel"),
            ("submitted_at", "submitted"),
            ("duration_seconds", "duration"),
            ("qc_status", "status"),
        )
    )

    class Meta:
        model = Response
        fields = ()

    def __init__(self, data=None, *args, **kwargs):
        # No state (or one that does not exist) means the responses waiting for a review.
        if data is not None and data.get("status") not in {"all", *QcStatus.values}:
            data = data.copy()
            data["status"] = QcStatus.FLAGGED
        super().__init__(data, *args, **kwargs)
        status = self.data.get("status")
        responses = self.queryset if status == "all" else self.queryset.filter(qc_status=status)
        field = self.form.fields["survey"]
        field.queryset = (
            Survey.objects.filter(pk__in=responses.values("survey_id"))
            .select_related("application__organisation")
            .order_by("application__organisation__name", "pk")
        )
        field.label_from_instance = _applicant

    def in_state(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(qc_status=value)

    def with_flag(self, queryset, name, value):
        return queryset.filter(has_flag(value))


# The states a contact waits in, in the interviewer's queue.
QUEUED = (ContactStatus.CALLBACK, ContactStatus.PENDING, ContactStatus.INVITED)


class QueueFilter(ListFilter):
    """The interviewer's queue keeps its order (callbacks due first); it narrows only."""

    q = Search(fields=("customer__name", "customer__contact"), label=_("用户"))
    survey = django_filters.ModelChoiceFilter(
        queryset=Survey.objects.none(), label=_("申报企业"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in QUEUED], label=_("状态"), empty_label=_("全部")
    )

    class Meta:
        model = SampledContact
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from manyi.fieldwork.calls.selectors import my_contacts

        # Every survey the interviewer works in, even one with only later callbacks left.
        field = self.form.fields["survey"]
        field.queryset = (
            Survey.objects.filter(pk__in=my_contacts(self.request.user).values("survey_id"))
            .select_related("application__organisation")
            .order_by("application__organisation__name", "pk")
        )
        field.label_from_instance = _applicant


class ItemFilter(ListFilter):
    q = Search(fields=("code", "text_zh", "text_en"), label=_("代码或题目"))
    purpose = django_filters.ChoiceFilter(
        choices=ItemPurpose.choices, label=_("用途"), empty_label=_("全部")
    )
    active = django_filters.ChoiceFilter(
        choices=[("1", _("可用")), ("0", _("已停用"))],
        label=_("状态"),
        empty_label=_("全部"),
        method="by_active",
    )
    sort = Sort(fields=(("code", "code"), ("purpose", "purpose"), ("kind", "kind")))

    class Meta:
        model = Item
        fields = ()

    def by_active(self, queryset, name, value):
        return queryset.filter(Q(is_active=value == "1"))


class SampleFilter(ListFilter):
    """The survey page's sample, in draw order: by state, or a customer's name. The fields
    carry the section's name, as the survey page has other parts in the same URL."""

    sample_q = Search(fields=("customer__name",), label=_("用户名称"))
    sample_status = django_filters.ChoiceFilter(
        field_name="status", choices=ContactStatus.choices, label=_("状态"), empty_label=_("全部")
    )

    class Meta:
        model = SampledContact
        fields = ()


class AssignFilter(ListFilter):
    """The applications waiting for a firm, in one campaign: the one asked for, else the
    newest with an application waiting (the view decides, the select shows it)."""

    campaign = django_filters.ChoiceFilter(
        label=_("年度"), empty_label=None, method="in_campaign_already"
    )
    q = Search(fields=("organisation__name", "number"), label=_("企业名称或申报编号"))
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("申报类别"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("organisation__name", "organisation"),
            ("category", "category"),
            ("number", "number"),
            ("list_rows", "list_rows"),
        )
    )

    class Meta:
        model = Application
        fields = ()

    def __init__(self, data=None, *args, campaigns=(), campaign=None, **kwargs):
        if data is not None and campaign is not None:
            data = data.copy()
            data["campaign"] = str(campaign.pk)
        super().__init__(data, *args, **kwargs)
        self.form.fields["campaign"].choices = [(str(c.pk), str(c.year)) for c in campaigns]

    def in_campaign_already(self, queryset, name, value):
        return queryset  # the selector reads one campaign's applications
