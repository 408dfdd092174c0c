"""Meeting pages checked with axe-core (see tests/browser/test_accessibility.py).

The objects come from ``tests/meetings/access.py``'s setup.
"""

from django.urls import reverse


def pages(world):
    announced = world.objects["meetings.announced"]
    held = world.objects["meetings.held"]
    members_only = world.objects["meetings.members_only"]
    return [
        ("anonymous", reverse("meetings:upcoming")),
        ("anonymous", reverse("meetings:past")),
        ("anonymous", announced.get_absolute_url()),  # registration: "log in to register"
        ("anonymous", held.get_absolute_url()),  # public summary
        ("member_a", reverse("meetings:upcoming")),  # "you are registered" badges
        ("member_a", announced.get_absolute_url()),  # own place, workshop change form
        ("member_a", held.get_absolute_url()),  # minutes and action items
        ("member_a", members_only.get_absolute_url()),  # registration form
        ("member_a", reverse("meetings:mine")),
        ("member_b", announced.get_absolute_url()),  # registration form with workshops
    ]
