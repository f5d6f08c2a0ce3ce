"""Grow the demo world to a city's year: `manage.py grow_world [--applications 10000]`.

The logic is in `manyi.portal.scale`; this command reads the options, loads the demo first
when the database is empty, and prints each step's rows and seconds.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation
from manyi.common.pagecache import new_generation
from manyi.portal.scale import grow_world


class Command(BaseCommand):
    help = (
        "Grow the demo world to N applications across all agencies, categories and states, "
        "with customer lists, surveys, measurement runs and the activity log (in bulk). "
        "Running it again adds more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=10_000)
        parser.add_argument(
            "--customers-per-list", type=int, default=60, help="rows of each customer list"
        )
        parser.add_argument(
            "--million",
            action="store_true",
            help="as many rows per list as make 1,000,000 customers in all",
        )
        parser.add_argument(
            "--agencies", type=int, default=50, help="grow the recommending agencies to this many"
        )
        parser.add_argument(
            "--experts", type=int, help="more experts in the pool (default: applications / 50)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        if options["applications"] < 1 or options["customers_per_list"] < 1:
            raise CommandError(_("申报数和每份名单的用户数都应大于 0"))
        if options["batch_size"] < 1:
            raise CommandError(_("每批行数应大于 0"))
        if not Organisation.objects.exists():
            self.stdout.write(_("数据库是空的：先载入演示数据（manage.py load_demo）……"))
            call_command("load_demo", quiet=True)
        self.stdout.write(
            _("扩充演示数据：%(n)s 份申报（种子 %(seed)s）")
            % {"n": f"{options['applications']:,}", "seed": options["seed"]}
        )
        grow_world(
            applications=options["applications"],
            per_list=options["customers_per_list"],
            million=options["million"],
            agencies=options["agencies"],
            experts=options["experts"],
            seed=options["seed"],
            batch=options["batch_size"],
            write=self.stdout.write,
        )
        # COPY (PostgreSQL) passes no statement through Django's cursor: kept pages retire here.
        new_generation()
