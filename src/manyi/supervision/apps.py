from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "manyi.supervision"
    verbose_name = _("监督与纪律")

    def ready(self):
        # A holder survey's closing is heard here, so fieldwork never imports supervision.
        from manyi.supervision.holders import receivers  # noqa: F401
