"""Responses shared by the views of several apps."""

from django.shortcuts import render


def private_page(request, template: str, context: dict):
    """A page reached by, or showing, a private follow-up link (an objection's, a complaint's).

    The token in that link is the only key to the page, so the page tells the browser to send
    no Referer at all: a link or resource on it would otherwise carry the token on (the site's
    own policy, "same-origin", still sends it to this site and its logs).
    """
    response = render(request, template, context)
    response["Referrer-Policy"] = "no-referrer"
    return response
