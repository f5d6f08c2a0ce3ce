from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext as _

from manyi.common.services import hold_message


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

    def format_email_subject(self, subject):
        return _("【满意】%(subject)s") % {"subject": subject}
