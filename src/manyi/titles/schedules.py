"""Work the worker runs on a timetable; `portal.timetable` installs it on every `migrate`."""

SCHEDULES = [
    {
        "name": "titles.grant_due_notices",
        "func": "manyi.titles.notices.tasks.grant_due_notices",
        "schedule_type": "D",  # django_q's Schedule.DAILY
        "hour": 1,  # just after midnight: a period that ended yesterday is granted first thing
    },
    {
        "name": "titles.expire_titles",
        "func": "manyi.titles.certificates.tasks.expire_titles",
        "schedule_type": "D",  # django_q's Schedule.DAILY
        "hour": 2,  # a title valid until yesterday is shown as expired from the morning on
    },
]
