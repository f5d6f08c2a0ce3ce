"""The navigation fits one line at common office screen widths, in Chinese and in English.

Every role's dashboard at 1280 and 1366 px: nothing is wider than the window (no horizontal
scrolling) and no navigation label wraps onto a second line.
"""

import pytest
from django.conf import settings

from manyi.accounts.roles import Role
from tests.conftest import World

WIDTHS = (1280, 1366)

# Each label's box against a single line of its own font: a wrapped label is two lines tall.
MEASURE = """() => {
  const labels = [...document.querySelectorAll('#nav .nav-link, #nav .btn, .navbar-brand')];
  const wrapped = labels.filter(el => {
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const inner = el.getBoundingClientRect().height
      - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
      - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
    return inner > line * 1.5;
  }).map(el => el.textContent.trim());
  const bar = document.querySelector('nav.navbar .container');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wrapped,
    barHeight: bar.getBoundingClientRect().height,
  };
}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_fits_on_one_line(page, live_server, login_as, context, role, language):
    world = World()
    user = world.users[role]
    user.full_name = (
        "欧阳明轩（质量管理部副部长）"  # a long name: the user menu must not widen the bar
    )
    user.save(update_fields=["full_name"])
    login_as(user)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/dashboard/")
        seen = page.evaluate(MEASURE)
        assert seen["scrollWidth"] <= seen["innerWidth"], (width, seen)
        assert seen["wrapped"] == [], (width, seen)
        # One row of navigation (a second row would make the bar about twice as tall).
        assert seen["barHeight"] < 70, (width, seen)
