from manyi.common.context import client_ip, current_ip, shared_reads


class RequestContextMiddleware:
    """Makes the client IP available to services writing the activity log, and gives the
    request its store of shared reads (``context.once_per_request``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            # Only a GET shares reads: a POST may change what it read before (a campaign closed).
            with shared_reads(request.method in ("GET", "HEAD")):
                return self.get_response(request)
        finally:
            current_ip.reset(token)


class PrivateCacheMiddleware:
    """Nothing shown to a logged-in person is kept by the browser or a cache on the way.

    Customer lists, exports, evidence and PDFs carry personal data: every response to an
    authenticated request gets `Cache-Control: no-store` (and the older `Pragma: no-cache`),
    unless the view chose its own `Cache-Control`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
            if not response.has_header("Pragma"):
                response["Pragma"] = "no-cache"
        return response
