"""Dashboard panels of supervision/revisits (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
