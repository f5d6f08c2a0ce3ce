"""Who may do what with the surveys of title holders (Art. 22): committee staff launch them and,
when a survey's measurement finished while nobody heard it, ask for its assessment again."""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.permissions import Action
from manyi.supervision.access import is_committee_staff, not_allowed


@rules.predicate
def not_assessed(_user, holder_survey) -> bool:
    return holder_survey.assessed_at is None


@rules.predicate
def run_done(_user, holder_survey) -> bool:
    run = holder_survey.survey.run
    return run is not None and run.status == "done"


def already_assessed(_obj=None) -> Exception:
    return ValidationError(_("该调查已判定，不再重复判定"))


def run_not_done(_obj=None) -> Exception:
    return ValidationError(_("调查尚未结束或测评计算尚未完成，暂不能判定"))


LAUNCH = Action("supervision.launch_holder_survey", (is_committee_staff, not_allowed))
ASSESS = Action(
    "supervision.assess_holder_survey",
    (is_committee_staff, not_allowed),
    (not_assessed, already_assessed),
    (run_done, run_not_done),
)
