from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projekte/", views.project_list, name="list"),
    path("projekte/neu/", views.project_create, name="create"),
    path("projekte/<slug:slug>/", views.project_detail, name="detail"),
    path("projekte/<slug:slug>/bearbeiten/", views.project_edit, name="edit"),
    path("projekte/<slug:slug>/einreichen/", views.project_submit, name="submit"),
    path("projekte/<slug:slug>/dokumente/<int:pk>/", views.project_document, name="document"),
]
