"""`/api/titles/`: the public register as a read-only REST endpoint (namespace "titles_api").

Anyone may read it, without an account; only the register's public fields are given (no
application, no person). Anonymous callers are throttled per address.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import AnonRateThrottle

from manyi.campaigns.categories import Category
from manyi.titles.certificates import selectors
from manyi.titles.certificates.services import verify_url
from manyi.titles.models import Title, TitleStatus

app_name = "titles_api"


class RegisterThrottle(AnonRateThrottle):
    """Per address: enough for any person or a checking script, not for scraping at speed."""

    scope = "titles_register"
    rate = "120/min"


class TitleSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", help_text="获得单位")
    category_name = serializers.CharField(source="get_category_display", help_text="称号类别")
    status_name = serializers.CharField(source="get_status_display", help_text="状态")
    verify_url = serializers.SerializerMethodField(help_text="公开核验页")

    class Meta:
        model = Title
        fields = [
            "number",
            "organisation",
            "subject",
            "category",
            "category_name",
            "year",
            "benchmark",
            "valid_from",
            "valid_until",
            "status",
            "status_name",
            "status_since",
            "verify_url",
        ]
        read_only_fields = fields

    def get_verify_url(self, title) -> str:
        # The same address as the certificate's QR code.
        return verify_url(title.number)


_FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度，例如 2026"),
    OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values, description="称号类别"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=TitleStatus.values, description="状态"),
    OpenApiParameter("q", OpenApiTypes.STR, description="单位名称、称号对象或证书编号（部分匹配）"),
]


@extend_schema_view(
    list=extend_schema(
        summary="称号登记册 / the register of titles",
        description="按年度、类别、状态筛选，按单位名称、称号对象或证书编号查询；每页 50 项。",
        parameters=_FILTERS,
    ),
    retrieve=extend_schema(
        summary="证书核验 / verify a certificate number",
        description="未知或格式错误的编号返回 404。",
    ),
)
class TitleViewSet(viewsets.ReadOnlyModelViewSet):
    """称号 (titles): the public register."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RegisterThrottle]
    serializer_class = TitleSerializer
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    queryset = Title.objects.none()

    def get_queryset(self):
        return selectors.register(selectors.clean_filters(self.request.query_params))

    def get_object(self):
        try:
            return selectors.public_title(self.kwargs["number"])
        except Http404 as exc:
            raise NotFound(_("未查到该证书编号")) from exc


router = SimpleRouter()
router.register("", TitleViewSet, basename="title")

urlpatterns = router.urls
