"""The words shown for a class record's outcome (pages, PDF and Excel alike) and for where a
class stands as people see it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.training.models import ClassStatus

OUTCOME_WORDS = {
    "pass": gettext_lazy("合格"),
    "fail": gettext_lazy("不合格"),
    "absent": gettext_lazy("缺勤"),
    "pending": gettext_lazy("待登记"),
    "cancelled": gettext_lazy("培训班已取消"),
}


def outcome_word(outcome: str) -> str:
    return str(OUTCOME_WORDS[outcome])


def class_status_word(training_class) -> str:
    """The status, said as it stands now: an open class whose closing time has passed no
    longer takes enrolments, and a class that has begun but is not marked held is under way."""
    if training_class.status in (ClassStatus.OPEN, ClassStatus.CLOSED):
        now = timezone.now()
        if training_class.starts_at <= now:
            return _("已开课")
        closes = training_class.enrol_closes_at or training_class.starts_at
        if training_class.status == ClassStatus.OPEN and closes <= now:
            return str(ClassStatus.CLOSED.label)
    return training_class.get_status_display()
