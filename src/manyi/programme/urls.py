"""The annual plan and the public site, included at the site's root: every path starts with
plan/, news/ or practices/."""

from manyi.programme.news import urls as news
from manyi.programme.plans import urls as plans

app_name = "programme"

urlpatterns = [*plans.urlpatterns, *news.urlpatterns]
