from django.urls import path

from . import oparl, preference_views, views

app_name = "meetings"

urlpatterns = [
    path("treffen/", views.upcoming, name="upcoming"),
    path("treffen/archiv/", views.past, name="past"),
    path("treffen/kalender.ics", views.public_feed, name="public_feed"),
    path("treffen/kalender/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("treffen/<slug:slug>/", views.detail, name="detail"),
    path("treffen/<slug:slug>/termin.ics", views.meeting_ics, name="ics"),
    path("treffen/<slug:slug>/folien/<int:item_pk>/", views.slides, name="slides"),
    path("treffen/<slug:slug>/anmelden/", views.register, name="register"),
    path("treffen/<slug:slug>/abmelden/", views.unregister, name="unregister"),
    path("treffen/<slug:slug>/workshops/", views.change_workshops, name="change_workshops"),
    path("treffen/<slug:slug>/protokoll/korrektur/", views.correct_minutes, name="correct_minutes"),
    path("treffen/<slug:slug>/workshopwuensche/", preference_views.wish, name="preferences"),
    path("bereich/treffen/", views.my_registrations, name="mine"),
    path("bereich/aufgaben/", views.my_action_items, name="my_action_items"),
    path(
        "bereich/aufgaben/<int:pk>/abschliessen/",
        views.close_action_item,
        name="close_action_item",
    ),
    path("oparl/v1/", oparl.system, name="oparl_system"),
    path("oparl/v1/bodies/", oparl.bodies, name="oparl_bodies"),
    path("oparl/v1/body/", oparl.body, name="oparl_body"),
    path("oparl/v1/organizations/", oparl.organizations, name="oparl_organizations"),
    path("oparl/v1/organization/reihe/<int:pk>/", oparl.series, name="oparl_series"),
    path("oparl/v1/organization/kommune/<int:pk>/", oparl.municipality, name="oparl_municipality"),
    path("oparl/v1/meetings/", oparl.meetings, name="oparl_meetings"),
    path("oparl/v1/meeting/<int:pk>/", oparl.meeting, name="oparl_meeting"),
    path("oparl/v1/agendaitems/", oparl.agenda_items, name="oparl_agenda_items"),
    path("oparl/v1/agendaitem/<int:pk>/", oparl.agenda_item, name="oparl_agenda_item"),
    path("oparl/v1/files/", oparl.files, name="oparl_files"),
    path("oparl/v1/file/zusammenfassung/<int:pk>/", oparl.summary, name="oparl_summary"),
    path("oparl/v1/file/folien/<int:pk>/", oparl.slides, name="oparl_slides"),
    path("oparl/v1/locations/", oparl.locations, name="oparl_locations"),
    path("oparl/v1/location/<int:pk>/", oparl.location, name="oparl_location"),
    path("oparl/v1/persons/", oparl.persons, name="oparl_persons"),
    path("oparl/v1/person/<int:pk>/", oparl.person, name="oparl_person"),
    path("oparl/v1/papers/", oparl.empty, name="oparl_papers"),
    path("bereich/treffen/kalender-einrichten/", views.set_up_feed, name="set_up_feed"),
    path("bereich/treffen/kalender-erneuern/", views.renew_feed, name="renew_feed"),
]
