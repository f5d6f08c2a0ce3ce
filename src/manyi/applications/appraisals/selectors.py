"""Reads of the client appraisal (续表4-4)."""

from django.http import Http404

from manyi.applications import selectors
from manyi.applications.models import Application
from manyi.campaigns.categories import Category


def appraisal_application_for(user, pk: int) -> Application:
    """The engineering application whose appraisal the user may see (else 404)."""
    application = selectors.application_for(user, pk)
    if application.category != Category.ENGINEERING:
        raise Http404
    return application
