"""The network's own cards on the member's start page (*Mein Bereich*)."""

from ikone.member_area import add_card

add_card("members/_network_area_cards.html", order=10)
add_card("members/_mail_preferences_area_card.html", order=25)
add_card("members/_account_area_card.html", order=90)
