"""Hears the measurement run of a holder survey finishing, and assesses the survey (Art. 22).

Connected when `SupervisionConfig.ready` imports this module, so fieldwork and surveys never
import supervision. The signal comes after the run's result is committed (`on_commit`); a
survey already assessed is left as it is, so hearing it twice changes nothing.
"""

import logging

from django.core.exceptions import ValidationError
from django.dispatch import receiver

from manyi.surveys.signals import run_finished

logger = logging.getLogger(__name__)


@receiver(run_finished, dispatch_uid="supervision.holders.assess_when_run_finishes")
def assess_when_run_finishes(sender, run, **kwargs):
    from manyi.supervision.holders.services import assess_holder_survey
    from manyi.supervision.models import HolderSurvey

    if run is None or run.status != "done":
        return
    holder_survey = HolderSurvey.objects.filter(survey__run=run, assessed_at__isnull=True).first()
    if holder_survey is None:
        return
    try:
        assess_holder_survey(holder_survey=holder_survey, by=None)
    except ValidationError as exc:
        # Staff can still ask for the assessment on the holder-survey page ("重新判定").
        logger.warning("holder survey %s not assessed: %s", holder_survey.pk, exc.messages)
