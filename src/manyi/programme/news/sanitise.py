"""The allow-list an article's rich text passes through (nh3, a maintained sanitiser) on every
save, and again when it is shown.

Kept: paragraphs, line breaks, headings h2–h4, strong/em/u, lists, links (http, https, mailto
or a path of this site; rel="noopener noreferrer" added), block quotes, simple tables,
figures with captions, and images whose address is one of our article images
(``/news/images/<pk>/``). Everything else goes: script and style with their content, every
``on*`` handler, style and class attributes, ``javascript:`` and ``data:`` addresses, frames,
forms, SVG, comments.
"""

import re
from collections.abc import Callable, Collection
from html import unescape

import nh3
from django.urls import reverse

TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "img",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with everything inside them (not only the tags): their content is code, not text.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "textarea",
    "select",
}
SIZE = re.compile(r"\d{1,4}")
# After nh3 every attribute is double-quoted and escaped, so an <img> left without its src
# (an outside or forged address) can be found and removed safely.
IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
# A line break after each block, so the text reads line by line when it is edited again
# (browsers ignore it between blocks).
BLOCK_END = re.compile(r"(</(?:p|h2|h3|h4|ul|ol|li|blockquote|table|thead|tbody|tr|figure)>)(?!\n)")


def _image_address() -> str:
    """Our article images' address with a group for the pk (``/news/images/(\\d+)/``), from
    the URL configuration."""
    head, tail = reverse("programme:article_image", kwargs={"pk": 987654321}).split("987654321")
    return rf"{re.escape(head)}(\d+){re.escape(tail)}"


def image_path_pattern() -> re.Pattern:
    return re.compile(rf"^{_image_address()}$")


def image_ids_in(html: str) -> set[int]:
    """The article images an HTML text points to (before or after cleaning)."""
    return {int(pk) for pk in re.findall(_image_address(), html or "")}


def clean_html(
    html: str, *, known_images: Collection[int] | Callable[[int], bool] | None = None
) -> str:
    """The HTML with only the allow-list left.

    `known_images`: the article images that exist (a set of pks or a test); an image pointing
    to any other address, or to an image that does not exist, is removed. None keeps any
    address of our image form (used when showing text that was checked when it was saved).
    """
    pattern = image_path_pattern()
    if known_images is None:
        exists = None
    elif callable(known_images):
        exists = known_images
    else:
        known = set(known_images)
        exists = known.__contains__

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            match = pattern.match(value)
            if not match or (exists is not None and not exists(int(match.group(1)))):
                return None
        elif tag == "img" and attribute in ("width", "height"):
            return value if SIZE.fullmatch(value) else None
        return value

    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return BLOCK_END.sub("\\1\n", IMG_WITHOUT_SRC.sub("", cleaned)).strip()


def plain_text(html: str) -> str:
    """The words of a cleaned HTML text, for a feed's description or a search summary."""
    text = nh3.clean(html or "", tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    return " ".join(unescape(text).split())
