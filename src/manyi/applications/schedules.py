"""Work the worker runs on a timetable; `portal.timetable` installs it on every `migrate`."""

SCHEDULES = [
    {
        "name": "applications.remind_resubmissions",
        "func": "manyi.applications.tasks.remind_resubmissions",
        "schedule_type": "D",  # django_q's Schedule.DAILY
        "hour": 8,  # local time of the first run; then every 24 hours
    },
]
