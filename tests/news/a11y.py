"""News pages checked with axe-core (see tests/browser/test_accessibility.py)."""

from django.urls import reverse


def pages(world):
    published = world.objects["news.published_a"]
    draft = world.objects["news.draft_a"]
    returned = world.objects["news.changes_requested_a"]
    return [
        ("anonymous", reverse("news:list")),
        ("anonymous", published.get_absolute_url()),
        ("member_a", reverse("news:my_posts")),
        ("member_a", reverse("news:create")),
        ("member_a", reverse("news:edit", kwargs={"pk": draft.pk})),
        ("member_a", reverse("news:edit", kwargs={"pk": returned.pk})),  # with the comment
        ("member_a", reverse("news:my_preview", kwargs={"pk": draft.pk})),
        ("member_a", reverse("news:my_preview", kwargs={"pk": returned.pk})),  # with history
    ]
