"""Dashboard panels of supervision/validity (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
