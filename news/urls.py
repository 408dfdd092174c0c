from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("neuigkeiten/", views.post_list, name="list"),
    path("neuigkeiten/rss/", feeds.LatestPostsFeed(), name="feed_rss"),
    path("neuigkeiten/atom/", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path(
        "neuigkeiten/kommune/<slug:slug>/rss/",
        feeds.MunicipalityFeed(),
        name="feed_municipality_rss",
    ),
    path(
        "neuigkeiten/kommune/<slug:slug>/atom/",
        feeds.MunicipalityAtomFeed(),
        name="feed_municipality_atom",
    ),
    path("neuigkeiten/thema/<slug:slug>/rss/", feeds.TopicFeed(), name="feed_topic_rss"),
    path("neuigkeiten/thema/<slug:slug>/atom/", feeds.TopicAtomFeed(), name="feed_topic_atom"),
    path("neuigkeiten/<slug:slug>/", views.post_detail, name="detail"),
    path("bereich/beitraege/", views.my_posts, name="my_posts"),
    path("bereich/beitraege/neu/", views.post_create, name="create"),
    path("bereich/beitraege/vorschau/", views.markdown_preview, name="markdown_preview"),
    path("bereich/beitraege/<int:pk>/", views.post_edit, name="edit"),
    path("bereich/beitraege/<int:pk>/ansicht/", views.post_preview, name="my_preview"),
    path("bereich/beitraege/<int:pk>/einreichen/", views.post_submit, name="submit"),
    path("bereich/beitraege/<int:pk>/zurueckziehen/", views.post_archive, name="archive"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
