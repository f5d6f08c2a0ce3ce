"""One pass of the background-job sweeper, for operators (the worker runs it every minute)."""

from django.core.management.base import BaseCommand

from manyi.common.jobs.sweeper import sweep


class Command(BaseCommand):
    help = (
        "Requeue background jobs whose worker died (no heartbeat for JOB_STALL_SECONDS), fail "
        "those interrupted JOB_MAX_ATTEMPTS times, hand over jobs never given to the broker; "
        "print each decision."
    )

    def handle(self, *args, **options):
        report = sweep()
        for verb, jobs in (
            ("requeued", report.requeued),
            ("failed", report.failed),
            ("handed over", report.handed_over),
        ):
            for job in jobs:
                self.stdout.write(
                    f"{verb}: job {job.pk} {job.kind} #{job.object_id} "
                    f"(attempts {job.attempts}, worker {job.worker or '-'})"
                )
        self.stdout.write(str(report))
