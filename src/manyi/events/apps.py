from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "manyi.events"
    verbose_name = _("交流与标杆学习活动")
