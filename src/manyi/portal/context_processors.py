from django.conf import settings

from manyi.accounts.access import memberships
from manyi.portal.navigation import navigation_for


def site(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "nav_items": navigation_for(user) if user is not None else [],
        "my_memberships": memberships(user) if user is not None else [],
        "mfa_skipped": getattr(request, "mfa_skipped", False),
        "debug_banner": settings.DEBUG,
    }
