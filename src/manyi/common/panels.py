"""The shape of a dashboard panel, shared by every app that adds panels."""


def panel(title, *, count=None, items=(), url=None, link_text="", empty="") -> dict:
    """A box on the dashboard: a title, an optional count, a few lines, a link, a text when empty."""
    return {
        "title": title,
        "count": count,
        "items": list(items),
        "url": url,
        "link_text": link_text,
        "empty": empty,
    }
