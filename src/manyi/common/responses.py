"""Responses shared by the views of several apps."""

from django.shortcuts import render


def private_page(request, template: str, context: dict):
    """A page reached by, or showing, a private follow-up link (an objection's, a complaint's).

    The token in that link is the only key to the page, so the page tells the browser never to
    send its path as a Referer: a link or resource on it would otherwise carry the token on (the
    site's own policy, "same-origin", still sends it to this site and its logs). Only the
    origin is sent ("strict-origin"), not nothing ("no-referrer"): under "no-referrer" browsers
    send "Origin: null" with the page's own forms, which Django's CSRF check refuses.
    """
    response = render(request, template, context)
    response["Referrer-Policy"] = "strict-origin"
    return response
