from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("bereich/umfragen/", views.survey_list, name="list"),
    path("bereich/umfragen/<int:pk>/", views.answer, name="answer"),
    path("umfragen/", views.published, name="published"),
    path("umfragen/<int:pk>/ergebnisse/", views.results, name="results"),
    path("umfragen/<int:pk>/praesentation/", views.presentation, name="presentation_start"),
    path(
        "umfragen/<int:pk>/praesentation/<int:number>/",
        views.presentation,
        name="presentation",
    ),
    path("umfragen/<int:pk>/ergebnisse.csv", views.export_csv, name="export_csv"),
    path("umfragen/<int:pk>/ergebnisse.xlsx", views.export_xlsx, name="export_xlsx"),
]
