from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "manyi.common"
    verbose_name = _("公共")

    def ready(self):
        from manyi.common import pagecache

        pagecache.install()
