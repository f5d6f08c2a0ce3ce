"""Dashboard panels of supervision/revocations (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
