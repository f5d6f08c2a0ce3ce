"""The article sanitiser: a battery of hostile inputs never leaves script, styles, handlers or
dangerous addresses; the allow-list (formatting, links, tables, figures, our images) survives.

Also checked through the service, so a saved article holds only the cleaned text."""

import re

import pytest

from manyi.programme.models import Article
from manyi.programme.news.sanitise import clean_html, image_ids_in, plain_text
from tests.programme.factories import make_article, make_image

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" onerror="alert(1)">',
    '<img src="/news/images/1/" onerror="alert(1)">',
    "<img src=javascript:alert(1)>",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="https://ok.example" onclick="alert(1)" onmouseover="alert(2)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{display:none}</style><p>x</p>",
    '<div onload="alert(1)">x</div>',
    '<body onload="alert(1)">x</body>',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="https://evil.example"><input name="x"><button formaction="javascript:alert(1)">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    "<!--<script>alert(1)</script>-->",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<details open ontoggle="alert(1)">x</details>',
    '<p id="x" class="y" data-x="z" tabindex="1">x</p>',
    '<table background="javascript:alert(1)"><tr><td onclick="alert(1)">x</td></tr></table>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    '<img src="/news/images/1/" width="100%;" height="onerror=alert(1)">',
    '"><script>alert(1)</script>',
    "<textarea><script>alert(1)</script></textarea>",
    "<select><option><script>alert(1)</script></option></select>",
    '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
]
FORBIDDEN = [
    re.compile(r"<\s*script", re.I),
    re.compile(r"<\s*style", re.I),
    re.compile(
        r"<\s*(iframe|object|embed|svg|math|form|input|button|meta|link|base|template)", re.I
    ),
    re.compile(r"\son\w+\s*=", re.I),
    re.compile(r"javascript\s*:", re.I),
    re.compile(r"vbscript\s*:", re.I),
    re.compile(r"data\s*:", re.I),
    re.compile(r"\s(style|class|id|tabindex|target|srcdoc|background|cite)\s*=", re.I),
    re.compile(r'rel="opener"', re.I),
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_html_leaves_nothing_dangerous(hostile):
    cleaned = clean_html(f"<p>前文</p>{hostile}<p>后文</p>", known_images={1})
    for pattern in FORBIDDEN:
        assert not pattern.search(cleaned), (hostile, cleaned)
    # The ordinary text around it survives.
    assert "<p>前文</p>" in cleaned
    assert "<p>后文</p>" in cleaned


@pytest.mark.parametrize("hostile", HOSTILE)
def test_cleaning_twice_changes_nothing(hostile):
    once = clean_html(hostile, known_images={1})
    assert clean_html(once, known_images={1}) == once


def test_the_allow_list_survives():
    html = (
        "<h2>一</h2><h3>二</h3><h4>三</h4><p>段落<br><strong>粗</strong><em>斜</em><u>下划线</u></p>"
        "<ul><li>甲</li></ul><ol><li>乙</li></ol><blockquote>引用</blockquote>"
        "<table><thead><tr><th>项</th></tr></thead><tbody><tr><td>值</td></tr></tbody></table>"
        '<figure><img src="/news/images/7/" alt="图" width="320" height="200"><figcaption>说明</figcaption></figure>'
        '<p><a href="https://www.example.com/a?b=1" title="网站">外链</a> <a href="mailto:a@example.cn">邮件</a>'
        ' <a href="/news/3/">站内</a></p>'
    )
    cleaned = clean_html(html, known_images={7})
    for kept in (
        "<h2>一</h2>",
        "<h3>二</h3>",
        "<h4>三</h4>",
        "<br>",
        "<strong>粗</strong>",
        "<em>斜</em>",
        "<u>下划线</u>",
        "<ul><li>甲</li>\n</ul>",
        "<ol><li>乙</li>\n</ol>",
        "<blockquote>引用</blockquote>",
        "<thead><tr><th>项</th></tr>\n</thead>",
        "<td>值</td>",
        '<img src="/news/images/7/" alt="图" width="320" height="200">',
        "<figcaption>说明</figcaption>",
        '<a href="https://www.example.com/a?b=1" title="网站" rel="noopener noreferrer">外链</a>',
        '<a href="mailto:a@example.cn" rel="noopener noreferrer">邮件</a>',
        '<a href="/news/3/" rel="noopener noreferrer">站内</a>',
    ):
        assert kept in cleaned, kept


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/x.png",
        "//evil.example/news/images/7/",
        "/news/images/7/../../../etc/passwd",
        "/news/images/8/",  # the right form, but no such image
        "/news/images/7",
        "/static/img/favicon.svg",
    ],
)
def test_only_our_existing_article_images_are_kept(src):
    cleaned = clean_html(f'<p>a</p><img src="{src}" alt="x"><p>b</p>', known_images={7})
    assert "<img" not in cleaned
    assert cleaned == "<p>a</p>\n<p>b</p>"


def test_blocks_end_their_line_so_the_text_reads_when_edited_again():
    assert clean_html("<p>一</p><ul><li>二</li></ul>") == "<p>一</p>\n<ul><li>二</li>\n</ul>"


def test_headings_outside_the_list_become_text():
    assert clean_html("<h1>大标题</h1><h5>小</h5>") == "大标题小"


def test_image_ids_and_plain_text():
    html = '<p>一<img src="/news/images/12/"> 二</p><figure><img src="/news/images/3/"></figure>'
    assert image_ids_in(html) == {12, 3}
    assert plain_text("<p>一 &amp; <strong>二</strong></p><script>x()</script>") == "一 & 二"


def test_the_service_stores_only_the_cleaned_body(world):
    image = make_image(world)
    body = (
        f'<p onclick="steal()">正文</p><script>alert(1)</script><img src="/news/images/{image.pk}/" onerror="x()">'
        '<img src="https://evil.example/t.png"><a href="javascript:alert(1)">链接</a>'
    )
    article = make_article(
        world, body=body, body_en="<p>Text<script>alert(2)</script></p>", published=False
    )

    stored = Article.objects.get(pk=article.pk)
    assert stored.body == (
        f'<p>正文</p>\n<img src="/news/images/{image.pk}/"><a rel="noopener noreferrer">链接</a>'
    )
    assert stored.body_en == "<p>Text</p>"
    # The image the body shows became this article's.
    image.refresh_from_db()
    assert image.article_id == article.pk
