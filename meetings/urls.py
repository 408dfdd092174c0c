from django.urls import path

from . import preference_views, views

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
    path("bereich/treffen/kalender-einrichten/", views.set_up_feed, name="set_up_feed"),
    path("bereich/treffen/kalender-erneuern/", views.renew_feed, name="renew_feed"),
]
