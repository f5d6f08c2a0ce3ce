"""Placeholder views, replaced by the programme package's own."""

from django.http import HttpResponse

from manyi.accounts.decorators import public


@public
def news_list(request):
    return HttpResponse("news")


@public
def plan_public(request):
    return HttpResponse("plan")
