"""Excel exports of common records. Every cell is written as text where it could be a formula."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.actions import action_label


def activity_log_workbook(entries) -> bytes:
    headers = [
        _("时间"),
        _("操作人"),
        _("IP 地址"),
        _("相关组织"),
        _("动作"),
        _("说明（动作）"),
        _("对象类型"),
        _("对象编号"),
        _("对象"),
        _("变更前"),
        _("变更后"),
        _("说明"),
    ]
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.ip or "",
            e.organisation.name if e.organisation else "",
            e.action,
            action_label(e.action),
            e.object_type,
            e.object_id,
            e.object_repr,
            "" if e.before is None else str(e.before),
            "" if e.after is None else str(e.after),
            e.note,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    from manyi.common.spreadsheets import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(rows, headers=headers, title=_("操作日志"), path_or_buffer=buffer)
    return buffer.getvalue()
