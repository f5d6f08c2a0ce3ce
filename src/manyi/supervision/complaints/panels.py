"""Dashboard panels of supervision/complaints (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
