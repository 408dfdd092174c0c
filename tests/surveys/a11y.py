"""Survey pages checked with axe-core (see tests/browser/test_accessibility.py).

The objects come from ``tests/surveys/access.py`` (``world.objects["surveys.*"]``).
"""


def pages(world):
    open_ = world.objects["surveys.open"]
    members = world.objects["surveys.members"]
    public = world.objects["surveys.public"]
    unpublished = world.objects["surveys.unpublished"]
    return [
        # grouped by role: the browser logs in once per group
        ("anonymous", "/umfragen/"),
        ("anonymous", f"/umfragen/{public.pk}/ergebnisse/"),
        ("anonymous", f"/umfragen/{public.pk}/praesentation/1/"),
        ("member_a", "/bereich/umfragen/"),
        ("member_a", f"/bereich/umfragen/{open_.pk}/"),  # the answer form with A's draft
        ("member_a", f"/bereich/umfragen/{members.pk}/"),  # submitted: the answers read back
        ("member_a", f"/umfragen/{members.pk}/ergebnisse/"),
        ("coordinator", f"/umfragen/{unpublished.pk}/ergebnisse/"),
        ("coordinator", f"/umfragen/{unpublished.pk}/praesentation/2/"),
    ]
