"""Each kind of job: its handler, what to do when it fails, and what the person is told.

Handlers are named by dotted path, as django-q names task functions: ``common`` imports no
feature app, and a web page that recovers one customer list loads only that kind's module.
A handler is called ``run(object_id, **params)`` and returns a short result; ``failed(object_id,
message, **params)`` takes the domain object out of its "in progress" state with the message.
Both live in the feature app's ``tasks`` module, thin like every task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from manyi.common.models import BackgroundJob, JobKind

logger = logging.getLogger(__name__)

# Log entries about jobs carry this label: the system acts, on nobody's behalf.
SYSTEM = "系统（后台任务）"


@dataclass(frozen=True)
class Handler:
    run: str
    failed: str
    # Said when every attempt was interrupted (the worker died each time): what to do next.
    interrupted: str

    def call(self, object_id: int, params: dict):
        return import_string(self.run)(object_id, **params)

    def call_failed(self, job: BackgroundJob, message: str) -> None:
        """The failure handler, in a savepoint: if it breaks, the job still shows failed."""
        try:
            with transaction.atomic():
                import_string(self.failed)(job.object_id, message, **job.params)
        except Exception:
            logger.exception("job %s (%s): the failure handler failed", job.pk, job)


HANDLERS = {
    JobKind.CUSTOMER_IMPORT: Handler(
        run="manyi.applications.customers.tasks.import_customer_list",
        failed="manyi.applications.customers.tasks.import_failed",
        interrupted=_("导入多次中断，请重新上传该文件；如仍失败请联系用户委员会办公室"),
    ),
    JobKind.MEASUREMENT_RUN: Handler(
        run="manyi.surveys.tasks.compute_run",
        failed="manyi.surveys.tasks.compute_failed",
        interrupted=_(
            "计算多次中断，未保存任何结果。请点击“重新计算”；如仍失败请联系用户委员会办公室"
        ),
    ),
    JobKind.SIMILARITY_RUN: Handler(
        run="manyi.reviews.similarity.tasks.run_similarity",
        failed="manyi.reviews.similarity.tasks.similarity_failed",
        interrupted=_("比对多次中断，未保存任何结果，请重新发起比对"),
    ),
    JobKind.SURVEY_SEND: Handler(
        run="manyi.fieldwork.web.tasks.send",
        failed="manyi.fieldwork.web.tasks.send_failed",
        interrupted=_(
            "发送多次中断。已发出的邀请或提醒不会重复发送；请再次点击发送，其余样本会收到"
        ),
    ),
    JobKind.MAIL: Handler(
        run="manyi.common.tasks.deliver_outbox_message",
        failed="manyi.common.tasks.delivery_failed",
        interrupted=_("发送多次中断，请在发件箱中重新发送"),
    ),
}

# Said when a handler raised instead of finishing (a fault, not a crash): trying again the
# same way would fail the same way, so the job is failed at once.
BROKEN = _("后台处理出错，请稍后重试；如仍失败请联系用户委员会办公室")


def handler_for(kind: str) -> Handler:
    return HANDLERS[JobKind(kind)]
