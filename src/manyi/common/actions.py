"""The activity log's action codes in words, for the people who read the log."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "organisation.register": _("企业注册"),
    "organisation.update": _("修改单位资料"),
    "organisation.agency_confirm": _("确认会员企业"),
    "organisation.agency_decline": _("不予确认会员企业"),
    "organisation.agency_request": _("申请加入推进机构"),
    "invitation.create": _("发出邀请"),
    "invitation.accept": _("接受邀请"),
    "invitation.revoke": _("撤回邀请"),
    "expert.profile_update": _("修改专家资料"),
    "outbox.retry": _("重新发送邮件"),
    "activity_log.export": _("导出操作日志"),
    "dataset.upload": _("上传调查数据"),
    "measurement.request": _("发起测评计算"),
    "measurement.done": _("测评计算完成"),
    "measurement.failed": _("测评计算失败"),
    "measurement.export_pdf": _("下载测评报告"),
    "measurement.export_json": _("下载测评结果"),
    "application.start": _("创建申报"),
    "application.save_form": _("保存申请表"),
    "application.save_materials": _("保存材料"),
    "application.attachment_add": _("上传证明材料"),
    "application.attachment_remove": _("删除证明材料"),
    "application.attachment_download": _("下载证明材料"),
    "application.submitted": _("提交申报"),
    "application.returned": _("退回修改"),
    "application.recommended": _("推荐"),
    "application.not_recommended": _("不予推荐"),
    "application.withdrawn": _("撤回申报"),
    "application.export_pdf": _("下载申请表 PDF"),
    "applications.export": _("导出申报汇总"),
    "confirmation.save": _("保存活动确认表"),
    "confirmation.export_pdf": _("下载活动确认表 PDF"),
    "customer_list.export": _("下载用户名单"),
    "agency.seal_upload": _("上传公章"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
