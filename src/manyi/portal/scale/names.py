"""Made-up but plausible names, codes and numbers for a city-sized world. Pure: a seeded
`random.Random` in, the same names out.

Names are unique by construction where the database wants them unique (organisations per
kind, USCC, e-mail, phone within a campaign); the callers pass what already exists.
"""

import random

from manyi.accounts.roles import District, Trade
from manyi.accounts.uscc import ALPHABET, make_uscc

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余叶杜苏"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉志国海燕晓东永春"
# The first character of an enterprise's trade name (字号), then the second.
FIRST = "珠羊穗南云越花岭番白海增天粤华恒宏嘉金骏东长新广利丰泰兴盛达信安康瑞祥鸿福"
SECOND = "江城华粤山秀都南禺云珠城河海信远禾穗达方隆源通和泰昌盛丰科创德运辉成"
# (industry, trade, products or services it names), the words that make a company's name.
INDUSTRIES = [
    ("家电制造", Trade.INDUSTRIAL, "家用电器"),
    ("食品", Trade.INDUSTRIAL, "食品制造"),
    ("精密仪器", Trade.INDUSTRIAL, "仪器仪表"),
    ("电子科技", Trade.INDUSTRIAL, "电子信息"),
    ("汽车零部件", Trade.INDUSTRIAL, "汽车零部件"),
    ("医疗器械", Trade.INDUSTRIAL, "医疗器械"),
    ("纺织服装", Trade.INDUSTRIAL, "纺织服装"),
    ("生物科技", Trade.INDUSTRIAL, "生物医药"),
    ("新能源科技", Trade.INDUSTRIAL, "新能源"),
    ("化工", Trade.INDUSTRIAL, "化学原料"),
    ("印刷包装", Trade.INDUSTRIAL, "印刷包装"),
    ("家具制造", Trade.INDUSTRIAL, "家具制造"),
    ("建材", Trade.INDUSTRIAL, "建筑材料"),
    ("智能装备", Trade.INDUSTRIAL, "专用设备"),
    ("建设工程", Trade.ENGINEERING, "房屋建筑"),
    ("市政工程", Trade.ENGINEERING, "市政工程"),
    ("电力安装工程", Trade.ENGINEERING, "电力工程"),
    ("装饰工程", Trade.ENGINEERING, "建筑装饰"),
    ("园林绿化工程", Trade.ENGINEERING, "园林绿化"),
    ("机电安装工程", Trade.ENGINEERING, "机电安装"),
    ("物业管理", Trade.SERVICE, "物业服务"),
    ("通信服务", Trade.SERVICE, "通信服务"),
    ("酒店管理", Trade.SERVICE, "住宿餐饮"),
    ("燃气", Trade.SERVICE, "燃气供应"),
    ("水务服务", Trade.SERVICE, "供水服务"),
    ("物流", Trade.SERVICE, "交通物流"),
    ("餐饮管理", Trade.SERVICE, "住宿餐饮"),
    ("商贸", Trade.SERVICE, "批发零售"),
    ("软件", Trade.SERVICE, "信息技术服务"),
    ("公交", Trade.SERVICE, "公共交通"),
]
FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
OWNERSHIP = ["有限责任公司", "股份有限公司", "民营企业", "国有企业", "中外合资"]
STREETS = ["天河路", "中山大道", "黄埔大道", "广州大道", "环市东路", "解放北路", "江南大道"]
# The district part of a Guangzhou USCC (行政区划代码).
DISTRICT_CODES = {
    District.LIWAN: "440103",
    District.YUEXIU: "440104",
    District.HAIZHU: "440105",
    District.TIANHE: "440106",
    District.BAIYUN: "440111",
    District.HUANGPU: "440112",
    District.PANYU: "440113",
    District.HUADU: "440114",
    District.NANSHA: "440115",
    District.CONGHUA: "440117",
    District.ZENGCHENG: "440118",
}
DISTRICT_LABELS = [str(d.label) for d in District]
AGENCY_REGION_KINDS = ["质量技术协会", "用户满意促进会", "企业联合会"]
AGENCY_INDUSTRY_KINDS = ["行业协会", "行业用户委员会"]
DEPARTMENTS = ["市场监督管理局", "工业和信息化局", "商务局", "住房和城乡建设局", "交通运输局"]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def enterprise_names(rng: random.Random, count: int, taken: set[str]):
    """`count` new enterprise names with their industry: (name, short name, industry, trade)."""
    made = 0
    while made < count:
        brand = rng.choice(FIRST) + rng.choice(SECOND)
        industry, trade, sector = rng.choice(INDUSTRIES)
        prefix = rng.choice(["广州", "广州市", "广州"])
        name = f"{prefix}{brand}{industry}{rng.choice(FORMS)}"
        if name in taken:
            continue
        taken.add(name)
        made += 1
        yield name, brand, sector, trade


def agency_names(existing: set[str]):
    """Every plausible agency name not yet used: districts first, then industries."""
    for kind in AGENCY_REGION_KINDS:
        for district in District:
            name = f"广州市{district.label}{kind}"
            if name not in existing:
                yield name, "region", str(district.label), district.value
    for kind in AGENCY_INDUSTRY_KINDS:
        for _industry, _trade, sector in INDUSTRIES:
            name = f"广州市{sector}{kind}"
            if name not in existing:
                scope = "user_committee" if kind.endswith("用户委员会") else "industry"
                yield name, scope, sector, ""


def uscc(district: str, sequence: int) -> str:
    """An enterprise's code: 91 (company) + the district's code + 9 characters, the last a
    checksum of GB 32100. Distinct sequences give distinct codes."""
    body = ""
    n = sequence
    for _ in range(7):
        n, digit = divmod(n, len(ALPHABET))
        body = ALPHABET[digit] + body
    return make_uscc(f"91{DISTRICT_CODES.get(district, '440100')}MA{body}")


def mobile(sequence: int) -> str:
    """A mobile number; distinct sequences (below 10⁹) give distinct numbers, in a scattered
    order (times a prime coprime to 10⁹)."""
    return f"1{'3589'[sequence % 4]}{(sequence * 7919 + 1234567) % 10**9:09d}"


def customer(rng: random.Random, company: bool) -> tuple[str, str, str]:
    """A customer's (name, address, contact)."""
    name = (
        f"广州{rng.choice(FIRST)}{rng.choice(SECOND)}"
        f"{rng.choice(['贸易', '科技', '物业', '餐饮', '实业', '建设', '置业'])}有限公司"
        if company
        else person(rng)
    )
    address = f"广州市{rng.choice(DISTRICT_LABELS)}{rng.choice(STREETS)}{rng.randrange(1, 999)}号"
    return name, address, rng.choice(SURNAMES) + rng.choice(["先生", "女士", "经理", "工"])
