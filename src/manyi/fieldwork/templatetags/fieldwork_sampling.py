"""The survey page's sample section: the design, the draw and its check, the strata, the
sample itself (phones always masked), the reserve, and the firm manager's export."""

from django import template

from manyi.applications.customers.rows import mask_phone
from manyi.common.listing import paginate
from manyi.fieldwork.access import (
    RELEASE_RESERVE,
    is_firm_manager,
    reads_all_surveys,
)
from manyi.fieldwork.filters import SampleFilter
from manyi.fieldwork.models import SurveyStatus
from manyi.fieldwork.sampling import selectors
from manyi.fieldwork.sampling.design import sample_design, strata_labels, stratum_label
from manyi.fieldwork.sampling.frame import current_list

register = template.Library()


@register.inclusion_tag("fieldwork/sections/sample.html", takes_context=True)
def sample_section(context):
    survey = context["survey"]
    request = context["request"]
    user = request.user
    staff = reads_all_surveys.test(user)
    # Interviewers work from their own queue; the whole sample is for staff and the manager.
    if not (staff or is_firm_manager.test(user, survey)):
        return {"show": False}
    labels = strata_labels()
    shown = {
        "show": True,
        "survey": survey,
        "staff": staff,
        "strata": [labels[s] for s in survey.strata if s in labels],
        "can_draw": context.get("can_draw", False),
        "can_check_draw": context.get("can_check_draw", False),
        "can_export_sample": context.get("can_export_sample", False),
    }
    if survey.status == SurveyStatus.ASSIGNED:
        return {**shown, **_planned(survey)}
    listing = paginate(
        request,
        selectors.sample_contacts(survey),
        SampleFilter,
        per_page=selectors.SAMPLE_PER_PAGE,
        page_param="sample_page",
    )
    for contact in listing.page:
        contact.masked_phone = mask_phone(contact.customer.phone)
        contact.stratum_label = stratum_label(contact.stratum) if contact.stratum else ""
    shared, shared_count = selectors.shared_contacts(survey) if staff else ([], 0)
    return {
        **shown,
        "drawn": True,
        "population": survey.customer_list.row_count if survey.customer_list_id else None,
        **listing.context(),
        "allocation": selectors.allocation(survey) if survey.strata else [],
        "reserve_left": selectors.reserve_left(survey),
        "can_release_reserve": RELEASE_RESERVE.allows(user, survey),
        "shared": shared,
        "shared_count": shared_count,
    }


def _planned(survey) -> dict:
    """Before the draw: what the design asks of the current list."""
    customer_list = current_list(survey.application)
    if customer_list is None:
        return {"drawn": False, "no_list": True}
    design = sample_design(
        population=customer_list.row_count,
        margin=survey.margin,
        confidence=survey.confidence,
        expected_response_rate=survey.expected_response_rate,
        reserve_share=survey.reserve_share,
    )
    return {"drawn": False, "no_list": False, "design": design}
