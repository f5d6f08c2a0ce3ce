"""The public site clicked through in Chromium: committee staff write an article with the
toolbar (a pasted <script> among the text), preview it, publish it; an anonymous visitor finds
it on the home page and in the news, without the script; the plan page shows the theme."""

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.programme.models import Article, ArticleStatus
from tests.conftest import World
from tests.programme.factories import make_plan

pytestmark = pytest.mark.django_db(transaction=True)

THEME = "以用户为中心，推动质量提升"


@pytest.fixture
def cast(db):
    return World()


def test_staff_write_and_publish_an_article_the_public_reads_it(
    page, browser, live_server, login_as, cast, csp_violations
):
    make_plan(cast, theme=THEME)
    alerts = []
    page.on(
        "dialog",
        lambda dialog: (
            alerts.append(dialog.message),
            dialog.accept("https://www.example.com/report"),
        ),
    )
    login_as(cast.users[Role.COMMITTEE_STAFF])

    page.goto(f"{live_server.url}/news/")
    page.locator("[data-manage-link]").click()
    page.locator("[data-create-article]").click()
    page.get_by_label("栏目").select_option(label="新闻动态")
    page.get_by_label("标题", exact=True).fill("经验交流会顺利召开")
    body = page.locator("#id_body")
    toolbar = page.locator("[data-toolbar-for='id_body']")

    body.fill("交流会顺利召开")
    body.press("Control+a")
    toolbar.get_by_role("button", name="粗体").click()
    body.press("End")
    body.press("Enter")
    body.type("八家先进单位交流经验")
    body.press("Shift+Home")
    toolbar.get_by_role("button", name="列表").click()
    body.press("End")
    # Pasted from somewhere else: a script the sanitiser must remove.
    page.keyboard.insert_text('<script>alert("被注入")</script><p onclick="alert(1)">详见</p>')
    body.press("End")
    page.keyboard.insert_text("报告")
    body.press("Shift+ArrowLeft")
    body.press("Shift+ArrowLeft")
    toolbar.get_by_role("button", name="链接").click()
    value = body.input_value()
    assert "<strong>交流会顺利召开</strong>" in value
    assert "<li>八家先进单位交流经验</li>" in value
    assert '<a href="https://www.example.com/report">报告</a>' in value

    toolbar.get_by_role("button", name="预览").click()
    preview = page.locator("[data-preview-for='id_body']")
    expect(preview.locator("strong")).to_have_text("交流会顺利召开")
    expect(preview.locator("li")).to_have_text("八家先进单位交流经验")
    assert "script" not in preview.inner_html()

    page.locator("[data-save]").click()
    expect(page.get_by_text("文章已保存为草稿，请预览后发布")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("文章已发布")).to_be_visible()
    article = Article.objects.get()
    assert article.status == ArticleStatus.PUBLISHED
    assert "script" not in article.body
    assert "onclick" not in article.body

    # An anonymous visitor, in a browser of their own.
    visitor = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    public = visitor.new_page()
    public.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    public.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    public.goto(f"{live_server.url}/")
    expect(public.locator("[data-theme-text]")).to_have_text(THEME)
    public.locator("[data-latest-news]").get_by_role("link", name="经验交流会顺利召开").click()
    expect(public.get_by_role("heading", name="经验交流会顺利召开")).to_be_visible()
    shown = public.locator("[data-article-body]")
    expect(shown.locator("strong")).to_have_text("交流会顺利召开")
    expect(shown.get_by_role("link", name="报告")).to_have_attribute("rel", "noopener noreferrer")
    assert "script" not in shown.inner_html()

    public.goto(f"{live_server.url}/news/")
    expect(public.get_by_role("link", name="经验交流会顺利召开")).to_be_visible()
    public.goto(f"{live_server.url}/plan/")
    expect(public.locator("[data-theme-text]")).to_have_text(THEME)
    visitor.close()

    # The only dialog was the link prompt; the pasted script never ran.
    assert alerts == ["链接地址（http://、https://、mailto: 或本站路径）"]
    assert csp_violations == []
