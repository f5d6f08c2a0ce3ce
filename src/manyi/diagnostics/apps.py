from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "manyi.diagnostics"
    verbose_name = _("诊断活动")
