"""The filters of the revocation lists (common.listing): the staff's cases, the certificates
and plaques to recall, and the public notices (which show nothing a notice does not)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import ListFilter, Search, Sort, WithYears
from manyi.supervision.filters import year_filter
from manyi.supervision.models import (
    DisciplineNotice,
    DisciplineNoticeKind,
    Revocation,
    RevocationReason,
    RevocationStatus,
)

CASE_SEARCH = ("title__number", "title__organisation__name", "title__subject")
CASE_SEARCH_LABEL = _("证书编号、单位名称或称号对象")


class RevocationFilter(WithYears):
    q = Search(fields=CASE_SEARCH, label=CASE_SEARCH_LABEL)
    status = django_filters.ChoiceFilter(
        choices=RevocationStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    reason = django_filters.ChoiceFilter(
        choices=RevocationReason.choices, label=_("撤销事由"), empty_label=_("全部")
    )
    year = year_filter("opened_at__year", label=_("立案年度"))
    sort = Sort(
        fields=(
            ("opened_at", "opened"),
            ("title__number", "number"),
            ("title__organisation__name", "organisation"),
            ("reason", "reason"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Revocation
        fields = ()

    def years(self):
        from manyi.supervision.revocations.selectors import case_years

        return case_years()


class RecallFilter(ListFilter):
    q = Search(fields=CASE_SEARCH, label=CASE_SEARCH_LABEL)
    sort = Sort(
        fields=(
            ("title__number", "number"),
            ("title__organisation__name", "organisation"),
            ("decided_at", "decided"),
            ("effective_on", "effective"),
        )
    )

    class Meta:
        model = Revocation
        fields = ()


class NoticeFilter(WithYears):
    q = Search(fields=("title", "body"), label=_("标题或正文"))
    kind = django_filters.ChoiceFilter(
        choices=DisciplineNoticeKind.choices, label=_("类型"), empty_label=_("全部")
    )
    year = year_filter()

    class Meta:
        model = DisciplineNotice
        fields = ()

    def years(self):
        from manyi.supervision.revocations.selectors import notice_years

        return notice_years()
