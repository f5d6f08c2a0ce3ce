"""The survey firms' REST API (`/api/v1/`): a firm sees and feeds only its own assignments."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from manyi.fieldwork.api import services
from manyi.fieldwork.api.authentication import FirmPrincipal, FirmTokenAuthentication
from manyi.fieldwork.api.serializers import (
    AssignmentSerializer,
    ContactSerializer,
    FlagSerializer,
    ItemResultSerializer,
    ResponseBatchSerializer,
)
from manyi.fieldwork.api.throttling import FirmTokenThrottle
from manyi.fieldwork.models import Response, SampledContact, Survey, SurveyStatus
from manyi.fieldwork.states import OPEN_CONTACT

# Phones go to a firm that makes the calls, only while it makes them.
PHONES_WHILE = (SurveyStatus.SAMPLED, SurveyStatus.IN_FIELD)


class IsSurveyFirm(permissions.BasePermission):
    message = _("需要调查机构的接口密钥")

    def has_permission(self, request, view):
        return isinstance(request.user, FirmPrincipal)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """调查委托 (assignments): the surveys given to the calling firm."""

    authentication_classes = [FirmTokenAuthentication]
    permission_classes = [IsSurveyFirm]
    throttle_classes = [FirmTokenThrottle]
    serializer_class = AssignmentSerializer
    queryset = Survey.objects.none()

    def get_queryset(self):
        return (
            Survey.objects.filter(firm=self.request.user.firm)
            .select_related("application__organisation", "questionnaire")
            .order_by("-assigned_at", "-pk")
        )

    @extend_schema(
        summary="样本（抽中的用户） / the drawn sample",
        description="非备用样本；电话号码仅在抽样后、调查结束前且样本仍待联系时提供，其余情况为 null。",
        responses=ContactSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def sample(self, request, pk=None):
        survey = self.get_object()
        contacts = (
            SampledContact.objects.filter(survey=survey, is_reserve=False)
            .select_related("customer")
            .order_by("position")
        )
        page = self.paginate_queryset(contacts)
        phones = survey.status in PHONES_WHILE
        rows = [
            ContactSerializer(c, context={"phones": phones and c.status in OPEN_CONTACT}).data
            for c in page
        ]
        services.log_sample_read(
            survey=survey,
            principal=request.user,
            page=self.paginator.page.number,
            count=len(rows),
            phones=phones,
        )
        return self.get_paginated_response(rows)

    @extend_schema(
        summary="提交问卷回答（批量，按调查机构编号幂等） / post responses",
        description=(
            "每批最多 500 份。external_id 为调查机构自己的编号：同一编号再次提交返回 duplicate 及已存的 id，"
            "不会重复保存。每份结果为 created、duplicate 或 error（附原因）。"
            "整批格式错误（不是列表、超过 500 份、缺少字段）返回 400，整批不保存；"
            "调查不在实施期内返回 409。每个密钥的请求次数有限制，超过返回 429。"
        ),
        request=ResponseBatchSerializer,
        responses=ItemResultSerializer(many=True),
    )
    @action(detail=True, methods=["post"])
    def responses(self, request, pk=None):
        survey = self.get_object()
        data = request.data
        # A bare list is the batch itself; {"responses": [...]} is the documented form.
        batch = ResponseBatchSerializer(
            data={"responses": data} if isinstance(data, list) else data
        )
        batch.is_valid(raise_exception=True)
        try:
            results = services.post_responses(
                survey=survey, principal=request.user, items=batch.validated_data["responses"]
            )
        except ValidationError as exc:
            return ApiResponse({"detail": "；".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return ApiResponse(ItemResultSerializer(results, many=True).data)

    @extend_schema(summary="质量问题 / QC flags", responses=FlagSerializer(many=True))
    @action(detail=True, methods=["get"])
    def flags(self, request, pk=None):
        survey = self.get_object()
        flagged = Response.objects.filter(survey=survey).exclude(qc_flags=[]).order_by("pk")
        page = self.paginate_queryset(flagged)
        return self.get_paginated_response(FlagSerializer(page, many=True).data)
