"""Work the worker runs on a timetable; `portal.timetable` installs it on every `migrate`.

Each supervision package appends its own entries."""

SCHEDULES = [
]
