"""The forms as printed on paper (PDF).

- `application_pdf(application)`: 附件4-1 … 4-5 filled in: the field table in the printed
  arrangement (the reason of each empty cell printed in it: 不填之项要说明原因), the four
  materials, the agency's latest opinion with its seal stamped over 推荐单位（盖章）, the
  committee's empty box, the client's appraisal (工程类) and the 填表说明.
- `confirmation_pdf(confirmation, version)`: 附件2 活动确认表, as it stands or as a frozen
  version (the one an application was submitted with).

The applicant's name on a submitted application is the one it was submitted under
(`Application.submitted_details`), so a later rename changes no printed form.

Pure reads: nothing here writes; ``documents.services`` logs each download.
"""

from __future__ import annotations

import base64

from django.utils import timezone, translation

from manyi.applications.agency.selectors import seal_of
from manyi.applications.documents.grid import BLANK_DATE, GRID, FilledForm, field_table
from manyi.applications.forms.specs import (
    CLIENT_APPRAISAL_POINTS,
    MATERIALS_CLOSING,
    FormSpec,
    form_spec,
)
from manyi.applications.models import Decision
from manyi.applications.selectors import data_year_of
from manyi.common.pdf import OFFICIAL_LANGUAGE, render_pdf
from manyi.common.punctuation import local_date


def latest_recommendation(application):
    """The agency's latest opinion on the form. A return for changes is not an opinion on
    the form (the applicant resubmits), so it is not printed with the seal."""
    return (
        application.recommendations.exclude(decision=Decision.RETURN)
        .select_related("agency")
        .order_by("-created_at", "-pk")
        .first()
    )


def seal_data_uri(agency) -> str:
    """The agency's seal as a data URI, or "" when there is none (or its file is gone)."""
    from manyi.common.files import private_path

    seal = seal_of(agency)
    if seal is None:
        return ""
    try:
        content = private_path(seal.file_path).read_bytes()
    except (OSError, ValueError):
        return ""
    return f"data:{seal.content_type};base64,{base64.b64encode(content).decode('ascii')}"


def _materials(spec: FormSpec, application) -> list[dict]:
    items = []
    last = len(spec.materials)
    for material in spec.materials:
        items.append(
            {
                "heading": f"{material.number}、{material.printed_for(spec.code)}{'。' if material.number == last else '；'}",
                "paragraphs": [
                    p for p in (getattr(application, material.key) or "").splitlines() if p.strip()
                ],
                "guidance": spec.materials_guidance if material.number == 3 else "",
            }
        )
    return items


def _appraisal(application):
    appraisal = (
        getattr(application, "client_appraisal", None)
        if application.category == "engineering"
        else None
    )
    if appraisal is None or appraisal.submitted_at is None:
        return None
    keys = (
        "quality",
        "construction_service",
        "design_suggestions",
        "maintenance",
        "overall",
        "improvements",
    )
    return {
        "object": appraisal,
        "points": [
            (point, getattr(appraisal, key))
            for point, key in zip(CLIENT_APPRAISAL_POINTS, keys, strict=True)
        ],
    }


def applicant_name(application) -> str:
    """The applicant's name as submitted (frozen at submission), else as typed in the form,
    else the organisation's name now (a draft)."""
    details = application.submitted_details or {}
    return details.get("name") or application.form_data.get("name") or application.organisation.name


def application_context(application) -> dict:
    spec = form_spec(application.category)
    data_year = data_year_of(application)
    chosen = list(application.chosen_trades or []) if spec.has_trade_sections else None
    filled = FilledForm(
        spec,
        application.form_data,
        application.empty_reasons,
        data_year=data_year,
        chosen_trades=chosen,
    )
    recommendation = latest_recommendation(application)
    agency = recommendation.agency if recommendation else None
    code = spec.code
    return {
        "application": application,
        "spec": spec,
        "title_lines": spec.printed_title,
        "continued": "续表" + spec.number.removeprefix("附件"),
        "name": applicant_name(application),
        "grid": field_table(spec, filled, chosen_trades=chosen),
        "grid_columns": range(GRID),
        # 4-3 … 4-5 print the materials inside the first table; 4-1 and 4-2 on the 续表.
        "materials_first": code in ("product", "engineering", "service"),
        "materials": _materials(spec, application),
        "materials_closing": MATERIALS_CLOSING,
        "evidence": [e.printed for e in spec.evidence if e.printed.startswith("另请提供")],
        "data_note": spec.data_note_for(data_year),
        "agency_rows_title": code != "product",
        "seal_label": "（盖章）" if code == "engineering" else "推荐单位（盖章）",
        "recommendation": recommendation,
        "agency": agency,
        "seal_src": seal_data_uri(agency) if recommendation else "",
        "appraisal": _appraisal(application),
        "appraisal_points": "、".join(CLIENT_APPRAISAL_POINTS),
        "blank_date": BLANK_DATE,
        "notes": spec.notes,
        # 审核意见: the committee's opinion once written (reviews.formal), else the empty box.
        "review": _formal_review(application),
    }


def _formal_review(application):
    """The written opinion of the committee's formal review, or None (read through the reverse
    accessor, so applications need not import the reviews app)."""
    review = getattr(application, "formal_review", None)
    if review is None or review.opinion_at is None:
        return None
    return {
        "opinion": review.opinion,
        "date": local_date(review.opinion_at.astimezone(timezone.get_current_timezone())),
    }


def application_pdf(application) -> bytes:
    """附件4-x of one application as a PDF (A4, Chinese font embedded, page numbers)."""
    # Built under Chinese too: the context already holds words and dates as printed.
    with translation.override(OFFICIAL_LANGUAGE):
        return render_pdf("applications/pdf/application.html", application_context(application))


# --- confirmation form -------------------------------------------------------------------


def confirmation_context(confirmation, version=None) -> dict:
    """附件2 as printed: the live form, or `version` (a ConfirmationVersion of it) when given."""
    source = version or confirmation
    spec = form_spec("confirmation")
    data = {k: v for k, v in (source.data or {}).items() if k != "__reasons__"}
    name = version.organisation_name if version else confirmation.organisation.name
    data.setdefault("name", name)
    if source.signer:
        data["signer"] = source.signer
    if source.signed_on:
        data["signed_on"] = source.signed_on.isoformat()
    reasons = (source.data or {}).get("__reasons__") or {}
    data_year = confirmation.campaign.year - 1
    filled = FilledForm(spec, data, reasons, data_year=data_year)
    title = spec.title_for(confirmation.campaign.year)
    return {
        "confirmation": confirmation,
        "version": version,
        "name": data["name"],
        "signer": source.signer,
        "signed_on": source.signed_on,
        "spec": spec,
        "title_lines": title.split(" "),
        "grid": field_table(spec, filled, skip=()),
        "grid_columns": range(GRID),
        "notes": spec.notes,
    }


def confirmation_pdf(confirmation, version=None) -> bytes:
    """附件2 活动确认表 of one organisation for one campaign (as `version` when given)."""
    with translation.override(OFFICIAL_LANGUAGE):
        return render_pdf(
            "applications/pdf/confirmation.html", confirmation_context(confirmation, version)
        )
