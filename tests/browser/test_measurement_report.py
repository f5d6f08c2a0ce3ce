"""A reader opens a finished report: the plain-words summary comes first; the importance–
performance chart switches to the indicators and every name stays inside the chart."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from manyi.accounts.roles import OrgKind, Role
from manyi.surveys.report import build_report
from tests.conftest import give_totp
from tests.factories import MembershipFactory, OrganisationFactory
from tests.surveys.test_report import finished_run

pytestmark = pytest.mark.django_db(transaction=True)

# The text elements ECharts drew in a chart, with their boxes in the chart's own pixels.
LABELS = """(id) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  const out = [];
  chart.getZr().storage.getDisplayList(true).forEach((e) => {
    // A label's words are drawn as "tspan" pieces of its text element.
    if ((e.type !== "text" && e.type !== "tspan") || !e.style || !e.style.text || e.ignore || e.invisible) { return; }
    const r = e.getBoundingRect().clone();
    const m = e.getComputedTransform();
    if (m) { r.applyTransform(m); }
    out.push({ text: String(e.style.text), x: r.x, y: r.y, w: r.width, h: r.height });
  });
  return { labels: out, width: el.clientWidth, height: el.clientHeight };
}"""


def _point_labels(page, names):
    drawn = page.evaluate(LABELS, "chart-ipa")
    return drawn, [label for label in drawn["labels"] if label["text"] in names]


def _inside(label, drawn, grid):
    left, top, right, bottom = grid
    return (
        label["x"] >= left - 1
        and label["y"] >= top - 1
        and label["x"] + label["w"] <= drawn["width"] - right + 1
        and label["y"] + label["h"] <= drawn["height"] - bottom + 1
    )


def test_the_summary_opens_the_report_and_indicator_names_stay_inside_the_chart(
    page, live_server, login_as, csp_violations
):
    staff = MembershipFactory(
        organisation=OrganisationFactory(kind=OrgKind.COMMITTEE, name="广州市用户委员会"),
        role=Role.COMMITTEE_STAFF,
    ).user
    give_totp(staff)
    run = finished_run(staff, preset="china", groups=3)
    with translation.override("zh-hans"):  # as the page reads, whatever an earlier test left
        report = build_report(run)
    login_as(staff)

    page.goto(f"{live_server.url}/measurement/runs/{run.pk}/")
    summary = page.get_by_role("region", name="摘要")
    expect(summary).to_be_visible()
    expect(summary.locator(".summary-headline")).to_have_text(report.summary[0])
    # The summary comes before every statistic.
    first_heading = page.locator("main h2, h2").first
    expect(first_heading).to_have_text("摘要")

    page.locator("#chart-ipa canvas").wait_for()
    page.wait_for_timeout(1200)  # ECharts' entry animation
    construct_names = {r["label"] for r in report.ipma["constructs"]}
    drawn, labels = _point_labels(page, construct_names)
    assert {label["text"] for label in labels} == construct_names

    page.get_by_role("button", name="指标", exact=True).click()
    expect(page.get_by_role("button", name="指标", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.wait_for_timeout(1200)
    indicator_names = {r["label"] for r in report.ipma["indicators"]}
    drawn, labels = _point_labels(page, indicator_names)
    assert {label["text"] for label in labels} == indicator_names
    grid = (70, 20, 30, 60)  # the chart's plotting area (measurement_report.js IPA_GRID)
    clipped = [label["text"] for label in labels if not _inside(label, drawn, grid)]
    assert clipped == []
    # The axes are padded around the points, not zoomed into a sliver of a range.
    axes = page.evaluate(
        """() => { const c = echarts.getInstanceByDom(document.getElementById('chart-ipa'));
                   const y = c.getModel().getComponent('yAxis').axis.scale.getExtent();
                   return y; }"""
    )
    assert axes[1] - axes[0] >= 20
    assert csp_violations == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_fits_an_office_screen_in_both_languages(
    page, live_server, login_as, context, language
):
    """English headers are longer than Chinese ones: a wide table scrolls inside its own box,
    never the whole page sideways."""
    from django.conf import settings

    staff = MembershipFactory(
        organisation=OrganisationFactory(kind=OrgKind.COMMITTEE, name="广州市用户委员会"),
        role=Role.COMMITTEE_STAFF,
    ).user
    give_totp(staff)
    run = finished_run(staff, preset="china", groups=3)
    login_as(staff)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/measurement/runs/{run.pk}/")
    page.locator("#chart-ipa canvas").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
