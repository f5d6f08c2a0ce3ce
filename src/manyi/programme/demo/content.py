"""The demo's made-up plans and articles (months and days; the loader puts them in a year)."""

from manyi.programme.models import ActivityKind, ArticleKind

THEME = "以用户为中心，提升质量满意"
THEME_EN = "Putting users first, raising quality and satisfaction"
SUMMARY = (
    "围绕“以用户为中心，提升质量满意”的年度主题，广州市质量协会会同广州市用户委员会、广州市用户工作部和各推进机构，"
    "开展用户满意理念宣传、企业现场指导、经验交流和标杆学习，举办用户满意知识培训班，"
    "组织重点行业用户满意度测评和企业诊断，年末召开推进大会，总结推广先进单位的经验。"
)
SUMMARY_EN = (
    "Around this year's theme, the Guangzhou Quality Association, with the User Committee, the "
    "User Work Department and the promotion agencies, spreads the idea of user satisfaction, "
    "guides enterprises on site, organises exchanges and benchmark learning, runs training "
    "classes, measures satisfaction in key industries, visits enterprises for diagnosis and "
    "closes the year with the promotion conference."
)

LAST_THEME = "提升用户满意，助力高质量发展"
LAST_SUMMARY = "以提升用户满意为主线，开展宣传、培训、交流和测评活动，推动参与企业建立以用户为中心的质量保证体系。"

# kind, title, English title, (start month, day), (end month, day), responsible organisation
# (by name; words if it is not in the demo), outcome when held
ACTIVITIES = [
    (
        ActivityKind.PUBLICITY,
        "“3·15”用户满意宣传周",
        "User satisfaction week around 15 March",
        (3, 9),
        (3, 15),
        "广州市质量协会",
        "在全市十一个区开展用户满意理念宣传，发放宣传资料两万余份，举办专题讲座六场。",
    ),
    (
        ActivityKind.TRAINING,
        "用户满意理论与测评方法培训班（第一期）",
        "Training class on user satisfaction theory and measurement (1st)",
        (4, 16),
        (4, 17),
        "广州市用户委员会",
        "来自56家企业的128名骨干参加培训，考核合格率96%。",
    ),
    (
        ActivityKind.GUIDANCE,
        "天河区企业质量提升现场指导",
        "On-site guidance for enterprises in Tianhe",
        (5, 6),
        (6, 30),
        "广州市天河区质量技术协会",
        "专家走访12家会员企业，针对投诉处理和售后服务提出改进建议38条。",
    ),
    (
        ActivityKind.BENCHMARK,
        "标杆学习：走进广州珠江家电制造有限公司",
        "Benchmark learning at Guangzhou Pearl River Appliances",
        (6, 18),
        (6, 18),
        "广州市用户委员会",
        "通过企业现场参观、主题分享和分组讨论，40余家单位学习了标杆企业以用户反馈驱动改进的做法。",
    ),
    (
        ActivityKind.EXCHANGE,
        "上半年用户满意工程经验交流会",
        "Mid-year experience-exchange meeting",
        (7, 10),
        (7, 10),
        "广州市质量协会",
        "8家先进单位交流了用户满意管理的做法，与会代表150人。",
    ),
    (
        ActivityKind.SURVEY,
        "供水、燃气行业用户满意度测评",
        "User satisfaction survey of water and gas supply",
        (7, 1),
        (10, 31),
        "广州市用户工作部",
        "完成有效样本4,200份，测评结果已向参与企业反馈。",
    ),
    (
        ActivityKind.EXCHANGE,
        "建筑业用户满意座谈会",
        "Round table of the building trade",
        (8, 20),
        (8, 20),
        "广州市建筑业协会",
        None,  # cancelled, see CANCELLED
    ),
    (
        ActivityKind.DIAGNOSIS,
        "企业用户满意诊断活动",
        "Diagnostic visits to enterprises",
        (9, 1),
        (12, 20),
        "广州市天河区质量技术协会",
        None,  # still under way
    ),
    (
        ActivityKind.TRAINING,
        "用户满意理论与测评方法培训班（第二期）",
        "Training class on user satisfaction theory and measurement (2nd)",
        (12, 8),
        (12, 9),
        "广州市用户委员会",
        None,
    ),
    (
        ActivityKind.CONFERENCE,
        "广州市实施用户满意工程推进大会",
        "Guangzhou user satisfaction promotion conference",
        (12, 18),
        (12, 18),
        "广州市质量协会",
        None,
    ),
]
CANCELLED = {"建筑业用户满意座谈会": "与行业年会合并举办，不再单独召开。"}

LAST_ACTIVITIES = [
    (
        ActivityKind.PUBLICITY,
        "用户满意宣传月",
        "",
        (3, 1),
        (3, 31),
        "广州市质量协会",
        "全市宣传活动三十余场。",
    ),
    (
        ActivityKind.TRAINING,
        "用户满意知识培训班",
        "",
        (5, 20),
        (5, 21),
        "广州市用户委员会",
        "96名学员参加，考核合格率94%。",
    ),
    (
        ActivityKind.EXCHANGE,
        "经验交流会",
        "",
        (9, 12),
        (9, 12),
        "广州市质量协会",
        "6家企业交流经验。",
    ),
    (
        ActivityKind.CONFERENCE,
        "用户满意工程推进大会",
        "",
        (12, 16),
        (12, 16),
        "广州市质量协会",
        "表彰先进单位21家、先进个人35名。",
    ),
]

PRACTICE_ENTERPRISE = "广州珠江家电制造有限公司"
PRACTICE_IMAGE_NAME = "售后回访流程.png"

# key, kind, title, summary, body, (month, day) published or None for the draft, the
# activity it reports on (by title) or "", English (title, summary, body) or None
ARTICLES = [
    (
        "plan",
        ArticleKind.NEWS,
        "年度用户满意工程推进工作计划发布",
        "广州市质量协会发布本年度工作计划，确定“以用户为中心，提升质量满意”为年度推进主题。",
        "<p>广州市质量协会根据《广州市实施用户满意工程推进活动管理办法（试行）》第九条，"
        "编制并发布本年度工作计划，确定<strong>“以用户为中心，提升质量满意”</strong>为年度推进主题。</p>"
        "<h3>主要安排</h3><ul><li>宣传用户满意理念和价值</li><li>企业现场指导与诊断</li>"
        "<li>经验交流和标杆学习</li><li>用户满意知识培训</li><li>重点行业满意度测评</li></ul>",
        (2, 20),
        "",
        None,
    ),
    (
        "week",
        ArticleKind.NEWS,
        "“3·15”用户满意宣传周活动圆满结束",
        "宣传周期间各区共举办专题讲座六场，发放宣传资料两万余份。",
        "<p>3月9日至15日，用户满意宣传周在全市十一个区同步开展。各推进机构组织专家走进社区和企业，"
        "讲解用户满意的价值和测评方法。</p><blockquote>让用户满意的观念深入人心。</blockquote>",
        (3, 17),
        "“3·15”用户满意宣传周",
        None,
    ),
    (
        "training",
        ArticleKind.NEWS,
        "第一期用户满意理论与测评方法培训班顺利举办",
        "来自56家企业的128名骨干参加培训，考核合格率96%。",
        "<p>4月16日至17日，第一期用户满意理论与测评方法培训班在广州举办。课程包括全面质量管理基本知识、"
        "用户满意理论、《质量管理 顾客满意 组织行为规范指南》（GB/T 19010）和满意度测量方法。</p>"
        "<table><thead><tr><th>项目</th><th>数量</th></tr></thead><tbody>"
        "<tr><td>参训企业</td><td>56</td></tr><tr><td>参训人员</td><td>128</td></tr></tbody></table>",
        (4, 20),
        "用户满意理论与测评方法培训班（第一期）",
        None,
    ),
    (
        "practice",
        ArticleKind.PRACTICE,
        "以用户反馈驱动产品改进——广州珠江家电制造有限公司的做法",
        "从售后回访到设计改进的闭环，让用户的声音进入每一次产品迭代。",
        "<p>广州珠江家电制造有限公司建立了覆盖全部售后服务的回访制度，每周汇总用户意见，"
        "由质量管理部牵头分析并落实到设计和生产环节。</p>"
        "<h3>主要做法</h3><ol><li>售后服务完成后48小时内电话回访</li>"
        "<li>用户意见按产品、环节分类，每周通报</li><li>重点问题立项改进，限期关闭</li></ol>"
        "{image}"
        '<p>详细介绍见<a href="https://www.example.com/pearl-river">企业网站</a>。</p>',
        (6, 22),
        "标杆学习：走进广州珠江家电制造有限公司",
        (
            "Driving product improvement with user feedback: Guangzhou Pearl River Appliances",
            "A closed loop from after-sales calls to design changes.",
            "<p>Every after-sales service is followed by a call within 48 hours. Comments are "
            "sorted by product and stage, reported weekly, and the main problems become "
            "improvement projects with deadlines.</p>{image}",
        ),
    ),
    (
        "conference",
        ArticleKind.NOTICE,
        "关于举办广州市实施用户满意工程推进大会的通知",
        "定于12月18日召开推进大会，请各推进机构组织会员企业报名。",
        "<p>各推进机构、各参与单位：</p><p>经研究，定于12月18日召开广州市实施用户满意工程推进大会，"
        "总结交流本年度活动经验，表彰先进单位和先进个人。请于12月10日前报名。</p>"
        '<p>联系电话：020-83341934，邮箱：<a href="mailto:gzuser@example.cn">gzuser@example.cn</a></p>',
        (11, 20),
        "广州市实施用户满意工程推进大会",
        None,
    ),
    (
        "draft",
        ArticleKind.NEWS,
        "第二期培训班招生预告",
        "",
        "<p>第二期用户满意理论与测评方法培训班将于12月上旬举办，招生通知另行发布。</p>",
        None,
        "用户满意理论与测评方法培训班（第二期）",
        None,
    ),
]

# Which activity's held record links to which article (by key).
OUTCOME_ARTICLES = {
    "“3·15”用户满意宣传周": "week",
    "用户满意理论与测评方法培训班（第一期）": "training",
    "标杆学习：走进广州珠江家电制造有限公司": "practice",
}
