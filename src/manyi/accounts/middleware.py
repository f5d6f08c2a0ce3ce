from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect

from manyi.accounts.access import needs_mfa

# Paths a person without a second factor may still open: setting it up, logging out, assets.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/invite/")


class RequireTwoFactorMiddleware:
    """Staff, agency users and experts must set up TOTP before they can work.

    Demo accounts skip this on a DEBUG server only; the base template shows a banner then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.mfa_skipped = False
        if (
            user.is_authenticated
            and needs_mfa(user)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                if settings.DEMO_SKIP_MFA and user.is_demo:
                    request.mfa_skipped = True
                else:
                    return redirect("mfa_activate_totp")
        return self.get_response(request)
