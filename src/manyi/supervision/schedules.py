"""Work the worker runs on a timetable; `portal.timetable` installs it on every `migrate`.

Each supervision package appends its own entries."""

SCHEDULES = [
    {
        "name": "supervision.apply_due_revocations",
        "func": "manyi.supervision.revocations.tasks.apply_due_revocations",
        "schedule_type": "D",  # django_q's Schedule.DAILY
        "hour": 0,  # a revocation effective today shows on the verification page from midnight
    },
    {
        "name": "supervision.remind_rectification",
        "func": "manyi.supervision.spotchecks.tasks.remind_rectification",
        "schedule_type": "D",  # django_q's Schedule.DAILY
        "hour": 7,  # before the working day: the mail is read the morning it is sent
    },
    {
        "name": "supervision.remind_expiring_titles",
        "func": "manyi.supervision.validity.tasks.remind_expiring_titles",
        "schedule_type": "D",  # django_q's Schedule.DAILY
        "hour": 3,  # after titles.expire_titles (2 h): an expired title is never reminded
    },
]
