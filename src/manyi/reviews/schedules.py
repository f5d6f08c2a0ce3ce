"""Work the worker runs on a timetable; `portal.timetable` installs it on every `migrate`."""

SCHEDULES = [
    {
        "name": "reviews.remind_deficiencies",
        "func": "manyi.reviews.tasks.remind_deficiencies",
        "schedule_type": "D",
        "hour": 8,
    },
]
