"""The registrations of an event as an Excel sheet for its organiser (mobiles in full).

Written through `common.spreadsheets.write_xlsx`, so no name or unit typed by the public can
become a formula.
"""

from django.utils.translation import gettext as _

from manyi.common.punctuation import labelled, local_datetime


def headers() -> list[str]:
    return [
        _("序号"),
        _("姓名"),
        _("单位"),
        _("职务"),
        _("手机"),
        _("电子邮箱"),
        _("状态"),
        _("报名时间"),
        _("候补转正时间"),
        _("取消时间"),
        _("签到"),
        _("签到时间"),
        _("签到人"),
    ]


def rows(registrations):
    for number, r in enumerate(registrations, start=1):
        yield [
            number,
            r.name,
            r.organisation_name,
            r.position,
            r.mobile,
            r.email,
            r.get_status_display(),
            local_datetime(r.created_at),
            local_datetime(r.promoted_at),
            local_datetime(r.cancelled_at),
            _("已签到") if r.checked_in_at else _("未签到"),
            local_datetime(r.checked_in_at),
            r.checked_in_by.display_name if r.checked_in_by else "",
        ]


def registrations_workbook(event, registrations, buffer) -> int:
    """Write the workbook into `buffer`; returns the number of registrations written."""
    from manyi.common.spreadsheets import write_xlsx

    listed = list(registrations)
    write_xlsx(
        rows(listed),
        headers=headers(),
        title=_("报名名单"),
        path_or_buffer=buffer,
        preamble=[
            [event.title],
            [
                labelled(
                    _("时间"),
                    f"{local_datetime(event.starts_at)} — {local_datetime(event.ends_at)}",
                )
            ],
            [labelled(_("地点"), event.place)],
            [labelled(_("名额"), event.capacity)],
        ],
        fit_widths=True,
        autofilter=True,
    )
    return len(listed)
