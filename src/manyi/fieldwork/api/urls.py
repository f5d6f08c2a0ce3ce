"""`/api/`: the survey firms' API (v1), its OpenAPI schema and its browsable documentation.

The documentation is Swagger UI served from our own static files (drf-spectacular-sidecar), in
the split view whose script is a file, so the strict CSP holds.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from manyi.fieldwork.api.views import AssignmentViewSet

app_name = "api"

router = SimpleRouter()
router.register("v1/assignments", AssignmentViewSet, basename="assignment")

urlpatterns = [
    # The schema and its documentation hold no data: open to everyone.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[AllowAny], authentication_classes=[]
        ),
        name="docs",
    ),
    *router.urls,
]
