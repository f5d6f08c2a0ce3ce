"""Pages reached by a private link that also carry a form (the registrant's page with its
cancel button, the check-in page a QR code opens).

`common.responses.private_page` sends "Referrer-Policy: no-referrer", under which browsers
send "Origin: null" with the page's own POSTs, and Django's CSRF check refuses them.
"strict-origin" keeps the token out of every Referer as well (only the site's origin is sent,
never the path) while the forms' Origin stays the site's.
"""

from django.shortcuts import render


def private_form_page(request, template: str, context: dict):
    response = render(request, template, context)
    response["Referrer-Policy"] = "strict-origin"
    return response
