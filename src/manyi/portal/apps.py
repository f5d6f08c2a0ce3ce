from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "manyi.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self):
        from manyi.portal.timetable import install_schedules

        # The worker's timetable (see portal.timetable), once per migrate: post_migrate is sent
        # per app that has models, so it is tied to django_q's, whose tables it writes.
        post_migrate.connect(
            install_schedules,
            sender=apps.get_app_config("django_q"),
            dispatch_uid="manyi-schedules",
        )
