"""Load (or refresh) the demo world from every installed app's ``demo`` module.

An app contributes a demo with a ``demo`` module (or package) that defines
``load_demo(report)`` and ``DEMO_ORDER`` (smaller first: people before campaigns before
applications). Each loader is idempotent and adds what it wants printed to the report.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from manyi.common import ratelimit
from manyi.common.demo_report import DemoReport
from manyi.common.registry import app_modules


def demo_loaders() -> list:
    return sorted(app_modules("demo"), key=lambda m: m.DEMO_ORDER)


class Command(BaseCommand):
    help = "Load (or refresh) the demo world. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="do not print the demo accounts")

    def handle(self, *args, quiet=False, **options):
        report = DemoReport()
        with ratelimit.waived():  # the demo's objections and complaints are not a flood
            for module in demo_loaders():
                module.load_demo(report)
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已就绪。演示账户（密码均为 %(pw)s）：") % {"pw": report.password}
            )
        )
        for role, email, org in report.accounts:
            self.stdout.write(f"  {role:<14}  {email:<28}  {org}")
        for line in report.lines:
            self.stdout.write(line)
