"""The demo's training data: who works where, the classes' results, the plan's items (made-up
names; the organisations and accounts are those of `accounts.demo`)."""

from decimal import Decimal

AGENCY = "广州市天河区质量技术协会"
AGENCY_USER = "agency@demo.manyi.cn"
STAFF_USER = "staff@demo.manyi.cn"
ENTERPRISE = "广州珠江家电制造有限公司"
ENTERPRISE_USER = "enterprise@demo.manyi.cn"

# organisation → (name, 工号, department, position, mobile)
EMPLOYEES = {
    ENTERPRISE: [
        ("梁志强", "ZJ001", "质量管理部", "质量经理", "13802001001"),
        ("陈丽娟", "ZJ002", "质量管理部", "质量工程师", "13802001002"),
        ("黄伟明", "ZJ003", "客户服务中心", "服务主管", "13802001003"),
        ("李晓燕", "ZJ004", "客户服务中心", "客服专员", "13802001004"),
        ("张国华", "ZJ005", "生产部", "车间主任", "13802001005"),
        ("吴敏", "ZJ006", "生产部", "班组长", "13802001006"),
        ("何俊杰", "ZJ007", "市场营销部", "市场专员", "13802001007"),
        ("刘芳", "ZJ008", "研发中心", "工程师", "13802001008"),
    ],
    "广州羊城食品股份有限公司": [
        ("郑海燕", "YC001", "品质部", "品控主管", "13902002001"),
        ("罗建新", "YC002", "生产部", "车间主任", "13902002002"),
        ("许静", "YC003", "客服部", "客服主管", ""),
    ],
    "广州天河物业管理有限公司": [
        ("邓丽", "TH001", "客户服务部", "客服经理", "13702003001"),
        ("冯志勇", "TH002", "工程部", "工程主管", ""),
        ("曾小红", "TH003", "品质部", "品质专员", "13702003003"),
    ],
}

HELD = "2026年用户满意理论培训班（第一期）"
# 工号 → score; None: absent. 李晓燕 failed; 张国华 was absent.
HELD_RESULTS = {
    "ZJ001": "92",
    "ZJ002": "88.5",
    "ZJ003": "76",
    "ZJ004": "52",
    "ZJ005": None,
    "YC001": "81",
    "YC002": "67",
    "TH001": "90",
    "TH002": "73",
}
UPCOMING = "用户满意度测量方法培训班"
UPCOMING_ENROLLED = ["ZJ002", "ZJ006", "YC003", "TH003"]
INTERNAL = "质量问题分析与统计工具（内部培训）"
INTERNAL_RESULTS = {"ZJ003": "85", "ZJ005": "78", "ZJ006": "90", "ZJ007": "70"}
PLAN_AIMS = (
    "结合全面质量管理基本知识和 GB/T 19010 标准，使质量、服务骨干全部接受用户满意理论培训并考核合格；"
    "班组长掌握常用的质量问题分析和统计工具；新员工树立用户至上和质量意识。"
)
PLAN_ITEMS = [
    ("awareness", "用户至上与质量意识（新员工入职培训）", 6, "全体新员工", 40, "2"),
    ("satisfaction_theory", "用户满意理论（参加推进机构培训班）", 9, "质量、服务骨干", 5, "16"),
    ("statistics", "质量问题分析与统计工具", 11, "班组长及以上", 6, "4"),
    ("measurement", "用户满意度测量方法", 12, "质量管理部、客户服务中心", 3, "8"),
]
# The category of the current campaign that asks for training before an organisation applies.
MINIMUM_CATEGORY = "product"
MINIMUM_HOURS, MINIMUM_PEOPLE = Decimal("16"), 3
