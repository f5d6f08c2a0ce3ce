"""Dashboard panels of supervision/holders (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
