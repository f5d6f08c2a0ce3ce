"""Dashboard panels of supervision/sanctions (collected by supervision/dashboard.py)."""


def panels(user) -> list[dict]:
    return []
