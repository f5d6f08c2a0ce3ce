"""The filters of the measurement lists (common.listing): data sets and runs, each on its own
page. The years offered are those of what the person may read, nothing more."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import Search, Sort, WithYears
from manyi.surveys import selectors
from manyi.surveys.models import MeasurementRun, ResponseDataset, RunStatus, Scope
from manyi.surveys.words import CUSTOM_MODEL, PRESET_LABELS


class _YearsOfUser(WithYears):
    """The years of the data sets the user may read."""

    def years(self):
        return selectors.survey_years(self.request.user)


class DatasetFilter(_YearsOfUser):
    q = Search(fields=("title", "organisation__name"), label=_("名称或所属单位"))
    scope = django_filters.ChoiceFilter(
        choices=Scope.choices, label=_("测评范围"), empty_label=_("全部")
    )
    industry = django_filters.CharFilter(lookup_expr="icontains", label=_("行业"), max_length=100)
    year = django_filters.ChoiceFilter(
        field_name="survey_year", label=_("调查年度"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("title", "title"),
            ("scope", "scope"),
            ("survey_year", "year"),
            ("n_rows", "rows"),
            ("organisation__name", "organisation"),
            ("uploaded_at", "uploaded"),
            ("run_count", "runs"),
        )
    )

    class Meta:
        model = ResponseDataset
        fields = ()


MODELS = [*PRESET_LABELS.items(), ("custom", CUSTOM_MODEL)]


class RunFilter(_YearsOfUser):
    q = Search(fields=("title", "dataset__title"), label=_("名称或调查数据"))
    status = django_filters.ChoiceFilter(
        choices=RunStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    model = django_filters.ChoiceFilter(
        field_name="model_name", choices=MODELS, label=_("模型"), empty_label=_("全部")
    )
    scope = django_filters.ChoiceFilter(
        field_name="dataset__scope",
        choices=Scope.choices,
        label=_("测评范围"),
        empty_label=_("全部"),
    )
    year = django_filters.ChoiceFilter(
        field_name="dataset__survey_year", label=_("调查年度"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("title", "title"),
            ("dataset__title", "dataset"),
            ("model_name", "model"),
            ("status", "status"),
            ("created_at", "created"),
            ("finished_at", "finished"),
        )
    )

    class Meta:
        model = MeasurementRun
        fields = ()
