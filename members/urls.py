from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("mitglieder/", views.municipality_list, name="municipality_list"),
    path("mitglieder/<slug:slug>/", views.municipality_detail, name="municipality"),
    path("mitglieder/<slug:slug>/themen/", views.municipality_topics, name="municipality_topics"),
    path("mitglied-werden/", views.apply, name="apply"),
    path("mitglied-werden/danke/", views.apply_done, name="apply_done"),
    path(
        "einladung/<uidb64>/<token>/",
        views.accept_invitation,
        name="accept_invitation",
    ),
    path("bereich/", views.area, name="area"),
    path("bereich/profil/", views.profile, name="profile"),
    path("bereich/kontakte/", views.directory, name="directory"),
    path("bereich/kontakte/export.csv", views.directory_csv, name="directory_csv"),
    path("bereich/kontakte/export.vcf", views.directory_vcard, name="directory_vcard"),
    path("bereich/mail-einstellungen/", views.mail_preferences, name="mail_preferences"),
]
