"""Catalogue pages checked with axe-core (see tests/browser/test_accessibility.py).

The objects come from ``tests/projects/access.py``'s setup.
"""

from django.urls import reverse


def pages(world):
    public = world.objects["projects.public"]
    internal = world.objects["projects.internal"]
    return [
        ("anonymous", reverse("projects:list")),
        ("anonymous", public.get_absolute_url()),
        ("anonymous", reverse("projects:topics")),
        ("anonymous", reverse("projects:topic", kwargs={"slug": "sensornetzwerke"})),
        ("member_a", reverse("projects:list")),  # "members only" badges
        ("member_a", internal.get_absolute_url()),  # contacts, documents
        ("member_a", reverse("projects:edit", kwargs={"slug": internal.slug})),
        ("member_a", reverse("projects:create")),
        ("member_a", reverse("projects:publiccode_import")),
        ("member_a", reverse("projects:ask")),
        ("member_a", reverse("projects:ask_consent")),
        ("member_a", reverse("members:municipality", kwargs={"slug": "kaiserslautern"})),
        ("member_b", public.get_absolute_url()),  # the reuse form, B's pending record
    ]
