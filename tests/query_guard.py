"""Query-count guards: a list page reads the same number of queries at two sizes (issue 15).

    assert_flat(client, "/applications/", grow=lambda: add_rows(40))

opens the page, grows the data, opens it again and fails with both query lists when the
second read needs more queries than the first: a sign that rows are read one by one.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [q["sql"] for q in captured.captured_queries]


def assert_flat(client, url: str, *, grow) -> int:
    """The page's query count, the same before and after ``grow()`` adds rows."""
    small, small_sql = count_queries(client, url)
    grow()
    large, large_sql = count_queries(client, url)
    assert large == small, "\n".join(
        [f"{url}: {small} queries before growing, {large} after", *large_sql[small:]]
    )
    return small
