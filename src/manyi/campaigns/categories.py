"""The five categories (申报类别) and what the measures ask each applicant to submit.

The wording follows the forms 附件2, 附件3 and 附件4-1 … 4-5 of the measures; the campaign page
shows it to enterprises, and later issues check applications against it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    BRAND = "brand", _("用户满意品牌")
    ENTERPRISE = "enterprise", _("用户满意企业")
    PRODUCT = "product", _("用户满意产品")
    ENGINEERING = "engineering", _("用户满意工程")
    SERVICE = "service", _("用户满意服务")


@dataclass(frozen=True)
class CategoryForm:
    """The application form (申请表) of a category and the evidence it asks for."""

    number: str
    title: str
    short: str
    # Item 2 of the materials differs: the brand form asks for the brand's approved products.
    products_item: str
    evidence: tuple = ()
    notes: tuple = ()
    needs_client_appraisal: bool = False


_PRODUCTS_ITEM = _("主导产品（主要工程）和主要经营服务项目")

FORMS: dict[str, CategoryForm] = {
    Category.BRAND: CategoryForm(
        number=_("附件4-1"),
        title=_("广州市实施用户满意工程先进单位（品牌类）申请表"),
        short=_("品牌类"),
        products_item=_("该品牌核定产品和经营服务项目"),
        evidence=(_("商标注册证明（须经工商注册的批准文件复印件）"),),
    ),
    Category.ENTERPRISE: CategoryForm(
        number=_("附件4-2"),
        title=_("广州市实施用户满意工程先进单位（企业类）申请表"),
        short=_("企业类"),
        products_item=_PRODUCTS_ITEM,
        evidence=(_("工商企业注册登记执照（营业执照）复印件"),),
    ),
    Category.PRODUCT: CategoryForm(
        number=_("附件4-3"),
        title=_("广州市实施用户满意工程先进单位（产品类）申请表"),
        short=_("产品类"),
        products_item=_PRODUCTS_ITEM,
        evidence=(_("商标注册证明（须经工商注册的批准文件复印件）"),),
        notes=(_("产品必须填写型号、规格，填写系列产品推荐无效。"),),
    ),
    Category.ENGINEERING: CategoryForm(
        number=_("附件4-4"),
        title=_("广州市实施用户满意工程先进单位（工程类）申请表"),
        short=_("工程类"),
        products_item=_PRODUCTS_ITEM,
        evidence=(_("获地区、行业优质工程情况：省、自治区、直辖市优质工程文件、奖状复印件"),),
        needs_client_appraisal=True,
    ),
    Category.SERVICE: CategoryForm(
        number=_("附件4-5"),
        title=_("广州市实施用户满意工程先进单位（服务类）申请表"),
        short=_("服务类"),
        products_item=_PRODUCTS_ITEM,
        notes=(
            _(
                "申报服务应填写企业的专项服务名称（不是企业的服务机构），填写服务项目不清楚推荐无效。"
            ),
        ),
    ),
}

# 3、实施用户满意工程的主要目标、措施和经验: the ten points every form lists.
TEN_POINTS = (
    _("识别目标用户"),
    _("识别目标用户的需求"),
    _("研发设计"),
    _("生产过程控制"),
    _("交付和售后服务"),
    _("投诉处理方法"),
    _("用户满意度监视及测量"),
    _("利用测量结果所实施的改进情况"),
    _("客户信息管理"),
    _("客户关系管理"),
)

# 续表4-4: what the construction client appraises.
CLIENT_APPRAISAL_POINTS = (
    _("工程质量"),
    _("施工服务"),
    _("工程设计的建设性意见"),
    _("后续维护"),
    _("总体评价"),
    _("改进建议"),
)

# 附件3: the columns of the customer list.
CUSTOMER_LIST_COLUMNS = (
    _("序号"),
    _("用户名称或企业名称"),
    _("详细地址"),
    _("联系部门"),
    _("联系人"),
    _("联系电话"),
)


@dataclass(frozen=True)
class Material:
    title: str
    length: str


def materials(category: str) -> list[Material]:
    """The four parts of 企业实施用户满意工程情况介绍, with their lengths, for a category."""
    return [
        Material(_("企业概况"), _("200字")),
        Material(FORMS[category].products_item, _("300字")),
        Material(_("实施用户满意工程的主要目标、措施和经验"), _("2500–3000字")),
        Material(_("成就和展望"), _("200字")),
    ]
