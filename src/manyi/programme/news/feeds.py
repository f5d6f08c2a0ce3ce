"""RSS 2.0 and Atom feeds of the latest published articles (django.contrib.syndication), in the
reader's language where staff wrote an English version."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from manyi.programme import language
from manyi.programme.news import selectors


class LatestArticles(Feed):
    title = _("广州市实施用户满意工程 · 新闻动态")
    description = _("广州市质量协会、广州市用户委员会发布的新闻动态、先进经验与标杆和通知公告。")

    def link(self):
        return reverse("programme:news_list")

    def items(self):
        return selectors.feed_items()

    def item_title(self, item):
        return language.shown(item, "title")

    def item_description(self, item):
        return language.shown_summary(item)

    def item_link(self, item):
        return reverse("programme:article_detail", kwargs={"pk": item.pk})

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()]


class LatestArticlesAtom(LatestArticles):
    feed_type = Atom1Feed
    subtitle = LatestArticles.description
