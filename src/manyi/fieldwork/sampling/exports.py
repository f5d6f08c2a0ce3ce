"""The sample as Excel for the survey firm's own calling system (full phones; see
`services.export_sample`, which checks who asks and logs it)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from manyi.common.spreadsheets import write_xlsx
from manyi.fieldwork.sampling.design import stratum_label


def sample_headers() -> list[str]:
    return [
        _("抽样顺序"),
        _("用户名称或企业名称"),
        _("详细地址"),
        _("联系部门"),
        _("联系人"),
        _("联系电话"),
        _("电子邮箱"),
        _("层"),
        _("来自备用样本"),
        _("状态"),
        _("访问员"),
    ]


def sample_workbook(contacts, *, reserve_after: int) -> tuple[bytes, int]:
    """The workbook and its number of rows; ``reserve_after`` is the sample size, so a row
    past it came from the reserve."""
    count = 0

    def rows():
        nonlocal count
        for contact in contacts.iterator(chunk_size=500):
            count += 1
            customer = contact.customer
            yield [
                contact.position,
                customer.name,
                customer.address,
                customer.department,
                customer.contact,
                customer.phone,
                contact.email or customer.email,
                stratum_label(contact.stratum) if contact.stratum else "",
                _("是") if contact.position > reserve_after else "",
                contact.get_status_display(),
                str(contact.interviewer) if contact.interviewer else "",
            ]

    buffer = io.BytesIO()
    write_xlsx(
        rows(),
        headers=sample_headers(),
        title=_("调查样本"),
        path_or_buffer=buffer,
        column_widths=(10, 36, 40, 14, 12, 24, 28, 20, 12, 12, 14),
    )
    return buffer.getvalue(), count
