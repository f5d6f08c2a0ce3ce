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


# The demo's materials are written from varied parts, so two demo enterprises do not read
# alike (the similarity check would rightly flag identical texts as copied).
DEPARTMENTS = (
    "质量管理部",
    "客户服务中心",
    "市场营销部",
    "技术研发中心",
    "运营管理部",
    "品质保证部",
)
PERIODS = ("每月", "每季度", "每半年", "每年")
ACTIVITIES = (
    "组织用户座谈会",
    "开展电话回访",
    "发放网上问卷",
    "走访重点客户",
    "召开质量分析会",
    "开展神秘顾客暗访",
    "组织跨部门改进小组评审",
    "分析售后服务工单",
)
METHODS = (
    "运用因果图查找主要原因",
    "采用PDCA循环推进整改",
    "借助信息系统跟踪每一项改进",
    "按照GB/T 19010建立投诉处理流程",
    "用帕累托图确定改进重点",
    "建立用户档案并分级管理",
    "把用户意见纳入绩效考核",
    "引入六西格玛方法降低波动",
)
RESULTS = (
    "一次交付合格率",
    "投诉处理及时率",
    "用户回访满意率",
    "准时交付率",
    "老用户复购率",
    "售后响应速度",
    "服务网点覆盖率",
    "产品返修率下降幅度",
)
CUSTOMERS = ("经销商", "终端用户", "重点客户", "业主", "合作单位", "社区居民")


def _point_paragraph(point: str, rng) -> str:
    return (
        f"围绕“{point}”，由{rng.choice(DEPARTMENTS)}牵头，{rng.choice(PERIODS)}"
        f"{rng.choice(ACTIVITIES)}，覆盖{rng.randrange(20, 900)}家{rng.choice(CUSTOMERS)}；"
        f"我们{rng.choice(METHODS)}，并{rng.choice(METHODS)}。"
        f"{2015 + rng.randrange(0, 9)}年以来，{rng.choice(RESULTS)}提高{rng.randrange(2, 19)}个百分点，"
        f"{rng.choice(RESULTS)}达到{rng.randrange(86, 100)}%。"
    )


def sample_materials(category: str, *, organisation_name: str) -> dict:
    import random
    import zlib

    rng = random.Random(zlib.crc32(f"{organisation_name}/{category}".encode()))
    parts = []
    for i, point in enumerate(TEN_POINTS, 1):
        parts.append(
            f"{i}）{point}：" + _point_paragraph(point, rng) + _point_paragraph(point, rng)
        )
    measures = "\n".join(parts)
    from manyi.applications.forms.specs import count_chars

    while count_chars(measures) < 2700:
        measures += "\n" + _point_paragraph("持续改进", rng)
    while count_chars(measures) > 2950:
        measures = measures[:-20]
    founded = 1990 + rng.randrange(0, 25)
    return {
        # Short texts without a fixed run of 8 characters: numbers and choices break them up.
        "profile": f"{organisation_name}成立于{founded}年，现有员工"
        f"{rng.randrange(200, 3000)}人，下设{rng.randrange(2, 9)}个"
        f"{rng.choice(('分公司', '事业部', '生产基地', '服务中心', '研发中心'))}，"
        f"{founded + rng.randrange(2, 12)}年通过"
        f"{rng.choice(('ISO 9001', 'ISO 14001', 'ISO 45001', 'GB/T 19580', 'IATF 16949'))}认证。",
        "products": f"面向{rng.choice(CUSTOMERS)}，{rng.choice(PERIODS)}更新"
        f"{rng.randrange(3, 40)}项服务承诺，设{rng.randrange(5, 80)}个网点，"
        f"年销售额{rng.randrange(2, 90)}亿元。",
        "measures": measures,
        "outlook": f"近{rng.randrange(3, 6)}年{rng.choice(RESULTS)}升至{rng.randrange(86, 100)}%，"
        f"{2027 + rng.randrange(0, 3)}年力争{rng.choice(RESULTS)}再提高{rng.randrange(2, 9)}个百分点。",
    }
