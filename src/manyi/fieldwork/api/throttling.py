"""Requests per token: a firm's system cannot crowd out the others."""

from rest_framework.throttling import SimpleRateThrottle


class FirmTokenThrottle(SimpleRateThrottle):
    scope = "firm_token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
