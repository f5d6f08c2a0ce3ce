"""Dashboard panels of supervision/spotchecks (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
