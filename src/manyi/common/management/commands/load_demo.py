from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.accounts.demo import load_people
from manyi.applications.demo import load_application_demo
from manyi.campaigns.demo import load_campaign_demo
from manyi.surveys.demo import load_measurement_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo world. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="do not print the demo accounts")

    def handle(self, *args, quiet=False, **options):
        with transaction.atomic():
            people = load_people()
            load_campaign_demo()
        runs = load_measurement_demo()
        from manyi.campaigns.selectors import current_campaign

        load_application_demo(current_campaign())
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已就绪。演示账户（密码均为 %(pw)s）：") % {"pw": people["password"]}
            )
        )
        for role, email, org in people["accounts"]:
            self.stdout.write(f"  {role:<14}  {email:<28}  {org}")
        for run in runs:
            self.stdout.write(
                _("  测评报告：%(title)s  /measurement/runs/%(pk)d/")
                % {"title": run.title, "pk": run.pk}
            )
