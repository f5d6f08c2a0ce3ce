"""The engine's error codes, said in Chinese for the people who run a measurement."""

from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words
from manyi.measurement import ModelError


def model_error_message(error: ModelError) -> str:
    names = (
        error.details.get("indicators") or error.details.get("lvs") or error.details.get("lv") or ""
    )
    if isinstance(names, list | tuple):
        names = join_words(names)
    messages = {
        "invalid_model": _("模型定义格式不正确：须包含 blocks（潜变量及其指标）和 paths（路径）"),
        "unknown_preset": _("没有这个预设模型"),
        "empty_block": _("潜变量没有指标：%(names)s"),
        "duplicate_indicator": _("同一指标被分配给多个潜变量：%(names)s"),
        "unknown_lv": _("路径或测量方式中有未定义的潜变量：%(names)s"),
        "isolated_lv": _("潜变量没有参与任何路径：%(names)s"),
        "cyclic_model": _("模型路径中存在循环，只支持递归模型"),
        "invalid_mode": _("测量方式只能是 A（反映型）或 B（形成型）"),
        "unknown_indicator": _("数据中缺少模型需要的变量：%(names)s"),
        "invalid_data": _("数据无法作为数值矩阵读取"),
        "constant_indicator": _("指标没有变异（所有回答相同或全部缺失）：%(names)s"),
        "too_few_observations": _("有效样本太少，无法估计模型"),
        "not_converged": _("迭代未收敛，请检查模型或数据"),
        "singular": _("形成型指标或潜变量之间完全共线：%(names)s"),
        "invalid_option": _("计算设置有误"),
        "invalid_groups": _("分组变量与数据行数不一致"),
    }
    return messages.get(error.code, _("无法估计模型")) % {"names": names}
