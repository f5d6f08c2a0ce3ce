"""Work the worker runs on a timetable; `portal.timetable` installs it on every `migrate`."""

SCHEDULES = [
    {
        # Every minute: with django-q's scheduler ticking every 30 s and JOB_STALL_SECONDS of
        # 20, a job whose worker was killed is back in the queue within about 2 minutes (and at
        # once when someone is watching its progress; see common.jobs.sweeper).
        "name": "manyi-sweep-jobs",
        "func": "manyi.common.jobs.sweeper.sweep_task",
        "schedule_type": "I",  # django_q's Schedule.MINUTES
        "minutes": 1,
    },
    {
        # Daily: done jobs older than JOB_KEEP_DAYS (common.jobs.prune); failed ones stay.
        "name": "manyi-prune-jobs",
        "func": "manyi.common.jobs.prune.prune_task",
        "schedule_type": "D",  # django_q's Schedule.DAILY
    },
]
