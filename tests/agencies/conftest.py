import pytest


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in Chinese, the default language, whatever an earlier test left
    active (the English crawl activates English in this process)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
