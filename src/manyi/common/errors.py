"""Friendly error pages in Chinese (they must not depend on the database being up)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the context processors may need the database that just failed.
    return HttpResponseServerError(render_to_string("errors/500.html"))


def csrf_failure(request, reason=""):
    """A form sent from a page that has expired (or forged): say so plainly, change nothing."""
    return render(request, "errors/403_csrf.html", status=403)
