import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from manyi.common.context import client_ip
from manyi.common.services import hold_message


def _delay_key(request) -> str:
    return f"manyi:login-delay:{client_ip(request) or 'unknown'}"


def login_wait_seconds(request) -> int:
    """How long this address must wait before it may try a password again (0: not at all).

    An office behind one NAT address shares it, so a few mistakes must not lock everyone out:
    after LOGIN_DELAY_AFTER_FAILURES failed logins from the address within
    LOGIN_DELAY_WINDOW_SECONDS, each further failure doubles the wait (1, 2, 4 … seconds, at
    most LOGIN_DELAY_MAX_SECONDS). Nobody waits in a sleeping request; the page says how long.
    """
    record = cache.get(_delay_key(request))
    if not record or record["n"] < settings.LOGIN_DELAY_AFTER_FAILURES:
        return 0
    wait = min(
        2 ** (record["n"] - settings.LOGIN_DELAY_AFTER_FAILURES), settings.LOGIN_DELAY_MAX_SECONDS
    )
    return max(0, math.ceil(record["last"] + wait - time.time()))


def record_login_failure(request) -> None:
    now = time.time()
    key = _delay_key(request)
    record = cache.get(key) or {"n": 0, "start": now}
    record.update(n=record["n"] + 1, last=now)
    # The window runs from the first failure, so a busy office's count starts afresh.
    remaining = record["start"] + settings.LOGIN_DELAY_WINDOW_SECONDS - now
    cache.set(key, record, timeout=max(1, math.ceil(remaining)))


class AccountAdapter(DefaultAccountAdapter):
    """allauth's emails go through the outbox like every other message."""

    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            # The templates under templates/account/email/ name the site by these, not by the
            # host name the request came in on.
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        msg = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, mime in getattr(msg, "alternatives", []) if mime == "text/html"), ""
        )
        hold_message(
            to=email,
            subject=msg.subject,
            body_text=msg.body,
            body_html=html,
            template=template_prefix,
        )

    def pre_authenticate(self, request, **credentials):
        """Before allauth's own limits (per address and per account), the growing delay."""
        wait = login_wait_seconds(request)
        if wait:
            raise forms.ValidationError(
                _("登录失败次数较多，请 %(seconds)s 秒后再试。") % {"seconds": wait},
                code="login_delay",
            )
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        record_login_failure(request)
        super().authentication_failed(request, **credentials)

    def format_email_subject(self, subject):
        return _("【满意】%(subject)s") % {"subject": subject}
