"""The paths are those the circulars had under members/: links in sent mail keep working."""

from django.urls import path

from . import views

app_name = "circulars"

urlpatterns = [
    path("rundschreiben/<int:pk>/antwort/<str:token>/", views.circular_reply, name="reply"),
    path("bereich/rundschreiben/", views.circular_archive, name="archive"),
    path("bereich/rundschreiben/<int:pk>/", views.circular_detail, name="detail"),
    path(
        "bereich/rundschreiben/<int:pk>/anhang/<int:attachment_pk>/",
        views.circular_attachment,
        name="attachment",
    ),
]
