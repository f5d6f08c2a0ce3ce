"""The public site's articles (news/, practices/) and the writers' pages (news/manage/)."""

from django.urls import path

from manyi.programme.news import public_views, views

urlpatterns = [
    path("news/", public_views.news_list, name="news_list"),
    path("news/<int:pk>/", public_views.article_detail, name="article_detail"),
    path("news/feed/rss/", public_views.feed_rss, name="feed_rss"),
    path("news/feed/atom/", public_views.feed_atom, name="feed_atom"),
    path("news/images/<int:pk>/", public_views.article_image, name="article_image"),
    path("practices/", public_views.practices, name="practices"),
    path("news/manage/", views.manage_list, name="article_manage_list"),
    path("news/manage/new/", views.article_create, name="article_create"),
    path("news/manage/preview/", views.article_preview, name="article_preview"),
    path("news/manage/<int:pk>/", views.article_manage, name="article_manage"),
    path("news/manage/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("news/manage/<int:pk>/publish/", views.article_publish, name="article_publish"),
    path("news/manage/<int:pk>/withdraw/", views.article_withdraw, name="article_withdraw"),
    path("news/images/", views.image_library, name="image_library"),
]
