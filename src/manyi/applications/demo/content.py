"""Realistic, valid contents for the measures' forms: the demo world and the tests fill
applications with these, so every form they show passes the same checks a real one must."""

from datetime import date

from manyi.applications.forms.specs import TEN_POINTS, FormSpec, all_fields

TEXT_BY_KEY = {
    "brand_name": "珠江",
    "trademark": "珠江",
    "trademark_name": "珠江",
    "product_name": "变频空调器",
    "product_model": "KFR-35GW/BP3DN8Y-PH200(1)",
    "project_name": "广州市天河区智慧城市展示中心工程",
    "client_name": "广州市天河区城市建设投资有限公司",
    "project_location": "广州市天河区天府路1号",
    "project_manager": "张建国",
    "designer": "广州市设计院",
    "supervisor": "广州建设监理有限公司",
    "service_name": "家电以旧换新上门安装服务",
    "service_body": "客户服务中心",
    "service_content": "提供预约、上门拆旧、安装调试和回访的一站式服务，执行企业标准Q/ZJ 001-2025。",
    "service_rules": "已制定《上门服务规范》《投诉处理规程》，每年评审修订。",
    "main_products": "变频空调、冰箱、洗衣机",
    "main_services": "安装、维修、以旧换新",
    "ownership": "有限责任公司",
    "titles_won": "2023年广州市实施用户满意工程先进单位",
    "titles_years": "2023",  # 获得年份 takes years only
}


def _value(field, *, category: str, data_year: int):
    if field.choices:
        if field.multiple:
            return [category]
        if field.key == "project_type":
            return "public_building"
        return field.choices[0][0]
    kind = field.kind
    if kind == "int":
        return 120
    if kind == "decimal":
        return "800.00" if field.at_most else "1250.50"
    if kind == "percent":
        return "12.5"
    if kind == "date":
        return (date(data_year, 9, 30) if field.at_least else date(data_year, 6, 30)).isoformat()
    if kind == "year":
        return data_year - 1
    if kind == "phone":
        return "020-83341934"
    if kind == "mobile":
        return "13800138000"
    if kind == "postcode":
        return "510110"
    if kind == "email":
        return "quality@example.cn"
    if kind == "yesno":
        return "yes"
    if kind == "textarea":
        return "近三年获省级优质工程奖一项、市级优质工程奖两项（文件复印件附后）。"
    return TEXT_BY_KEY.get(field.key, "详见附页")[: field.max_length or 200]


def sample_form_data(
    spec: FormSpec, *, category: str, organisation, data_year: int, trades=()
) -> dict:
    """Every field of the general sections and of the chosen trade sections, filled validly."""
    data = {}
    for field in all_fields(spec, chosen_trades=set(trades)):
        if field.required_if is not None:
            continue
        prefilled = getattr(organisation, field.prefill, None) if field.prefill else None
        data[field.key] = (
            prefilled
            if prefilled not in (None, "")
            else _value(field, category=category, data_year=data_year)
        )
    return data


PARAGRAPH = (
    "公司坚持以用户为关注焦点，把用户满意作为质量工作的出发点和落脚点。围绕“{point}”，我们建立了"
    "制度、明确了职责，由质量管理部牵头，各业务部门协同推进。通过收集用户意见、分析投诉数据、"
    "开展专项改进，相关指标逐年提升，用户对产品和服务的评价明显提高。"
)


def sample_materials(category: str, *, organisation_name: str) -> dict:
    measures = "\n".join(
        f"{i}）{point}：" + PARAGRAPH.format(point=point) for i, point in enumerate(TEN_POINTS, 1)
    )
    while len(measures) < 2600:
        measures += "\n" + PARAGRAPH.format(point="持续改进")
    return {
        "profile": f"{organisation_name}成立于2003年，是集研发、生产、销售和服务于一体的企业，通过ISO9001质量管理体系认证，推行全面质量管理。",
        "products": "主导产品和主要经营服务项目覆盖研发设计、生产制造、安装交付和售后服务，服务网点遍及珠三角。",
        "measures": measures[:2900],
        "outlook": "近年来用户满意度持续提升，获得多项质量荣誉。今后将继续以用户为中心，推进数字化服务，争创标杆。",
    }
