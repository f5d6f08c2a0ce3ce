"""Placeholder views, replaced by the events package's own."""

from django.http import HttpResponse

from manyi.accounts.decorators import public


@public
def event_list(request):
    return HttpResponse("events")
