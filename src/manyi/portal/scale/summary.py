"""The summary a closed survey keeps for its pages (`Survey.summary`), counted from the grown
contacts and responses in the shape closing writes (the demo's summary is the model)."""

from collections import Counter

from manyi.fieldwork.models import Channel, ContactStatus


def survey_summary(template: dict | None, survey, statuses: Counter, attempts: int, responses):
    """`statuses`: the sampled contacts' statuses counted (reserve left out); `responses`:
    `answers.Answered`."""
    usable = [r for r in responses if r.usable]
    eligible = sum(n for s, n in statuses.items() if s != ContactStatus.INELIGIBLE)
    complaints = sum(1 for r in usable if r.complaint)
    times = sorted(r.submitted_at for r in responses)
    questionnaire = survey.questionnaire
    return {
        **(template or {}),
        "seed": survey.seed,
        "strata": [{"sample": survey.sample_size, "usable": len(usable), "stratum": ""}],
        "n_usable": len(usable),
        "progress": {
            "rr1": len(responses) / eligible if eligible else 0,
            "sample": survey.sample_size,
            "target": survey.target_completes,
            "usable": len(usable),
            "partial": 0,
            "reserve": survey.reserve_size,
            "attempts": attempts,
            "rejected": len(responses) - len(usable),
            "by_status": dict(statuses),
            "completes": len(responses),
        },
        "list_hash": survey.list_hash,
        "by_channel": {
            channel.value: sum(1 for r in usable if r.channel == channel)
            for channel in (Channel.WEB, Channel.PHONE)
        },
        "complaints": complaints,
        "field_period": {
            "opens": survey.field_opens.isoformat(),
            "closes": survey.field_closes.isoformat(),
            "first_response": times[0].isoformat() if times else None,
            "last_response": times[-1].isoformat() if times else None,
        },
        "questionnaire": {
            "id": questionnaire.pk,
            "model": questionnaire.model_name,
            "title": questionnaire.title,
            "version": questionnaire.version,
        },
        "complaint_base": len(usable),
        "complaint_rate": complaints / len(usable) if usable else 0,
    }
