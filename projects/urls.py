from django.urls import path

from . import api, views

app_name = "projects"

urlpatterns = [
    path("api/projekte/", api.project_list, name="api_list"),
    path("api/projekte/schema.json", api.schema_view, name="api_schema"),
    path("projekte/", views.project_list, name="list"),
    path("projekte/neu/", views.project_create, name="create"),
    path("projekte/wen-fragen/", views.ask, name="ask"),
    path("projekte/publiccode/", views.publiccode_import, name="publiccode_import"),
    path("bereich/wen-fragen/", views.ask_consent, name="ask_consent"),
    path("projekte/<slug:slug>/", views.project_detail, name="detail"),
    path("projekte/<slug:slug>/bearbeiten/", views.project_edit, name="edit"),
    path("projekte/<slug:slug>/einreichen/", views.project_submit, name="submit"),
    path("projekte/<slug:slug>/publiccode.yml", views.publiccode_export, name="publiccode_export"),
    path("projekte/<slug:slug>/dokumente/<int:pk>/", views.project_document, name="document"),
    path("projekte/<slug:slug>/nachnutzung/", views.reuse_record, name="reuse_record"),
    path("projekte/nachnutzung/<int:pk>/bestaetigen/", views.reuse_confirm, name="reuse_confirm"),
    path("projekte/nachnutzung/<int:pk>/ablehnen/", views.reuse_decline, name="reuse_decline"),
    path("themen/", views.topic_index, name="topics"),
    path("themen/<slug:slug>/", views.topic_page, name="topic"),
]
