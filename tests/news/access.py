"""Access expectations of the news pages, feeds, sitemap and editor (see tests/security/access.py).

Posts of municipality A in every state of the workflow. Only the published one is public;
drafts, posts under review and the coordinators' comments are for A's members and the
coordination team. Member B gets a 404 for A's unpublished posts everywhere (the editor
looks posts up among the user's own municipality's, like ``news.views._own_post``).
"""

from datetime import timedelta

from django.utils import timezone

from tests.security.access import LOGIN, REDIRECT, Expect, members_only, public

A_AND_COORDINATION = frozenset({"member_a", "coordinator"})


def setup(world):
    from news.models import Post, PostEvent
    from tests.factories import TopicFactory
    from tests.news.factories import PostFactory, PublishedPostFactory

    a = world.municipality_a
    author = world.contact_a.user
    coordinator = world.coordinator
    topic = TopicFactory(name="Offene Daten", slug="offene-daten")
    earlier = timezone.now() - timedelta(days=2)

    published = PublishedPostFactory(
        municipality=a,
        author=author,
        title="Kaiserslautern öffnet seine Verkehrsdaten",
        slug="kaiserslautern-oeffnet-verkehrsdaten",
        teaser="Die Stadt stellt Zähldaten als offene Daten bereit.",
        body="Ab sofort stehen die Daten **maschinenlesbar** bereit.",
        published_at=earlier,
    )
    published.topics.add(topic)
    PostEvent.objects.create(
        post=published,
        action=PostEvent.Action.PUBLISHED,
        actor=coordinator,
        old_status=Post.Status.SUBMITTED,
        new_status=Post.Status.PUBLISHED,
        created_at=earlier,
    )

    draft = PostFactory(
        municipality=a,
        author=author,
        status=Post.Status.DRAFT,
        title="Entwurf Glasfaser-Ausbau Nordwest",
        slug="entwurf-glasfaser-ausbau-nordwest",
        teaser="Noch nicht abgestimmter Zwischenstand.",
        body="Vertraulicher Zwischenstand zum Ausbau in Siegelbach.",
    )
    draft.topics.add(topic)
    PostEvent.objects.create(
        post=draft, action=PostEvent.Action.CREATED, actor=author, new_status=draft.status
    )

    submitted = PostFactory(
        municipality=a,
        author=author,
        status=Post.Status.SUBMITTED,
        title="Eingereicht: Bürgerbüro mit Terminbuchung",
        slug="eingereicht-buergerbuero-terminbuchung",
        teaser="Wartet auf die Prüfung durch die Koordination.",
        body="Text, den die Koordination noch prüft.",
    )
    submitted.topics.add(topic)
    PostEvent.objects.create(
        post=submitted,
        action=PostEvent.Action.SUBMITTED,
        actor=author,
        old_status=Post.Status.DRAFT,
        new_status=Post.Status.SUBMITTED,
    )

    returned = PostFactory(
        municipality=a,
        author=author,
        status=Post.Status.CHANGES_REQUESTED,
        title="Zurückgegeben: Digitale Ratsarbeit",
        slug="zurueckgegeben-digitale-ratsarbeit",
        teaser="Die Koordination hat um Änderungen gebeten.",
        body="Erste Fassung des Berichts zur digitalen Ratsarbeit.",
    )
    review_comment = "Bitte die Namen der Ratsmitglieder aus dem zweiten Absatz entfernen."
    PostEvent.objects.create(
        post=returned,
        action=PostEvent.Action.SUBMITTED,
        actor=author,
        old_status=Post.Status.DRAFT,
        new_status=Post.Status.SUBMITTED,
    )
    PostEvent.objects.create(
        post=returned,
        action=PostEvent.Action.CHANGES_REQUESTED,
        actor=coordinator,
        old_status=Post.Status.SUBMITTED,
        new_status=Post.Status.CHANGES_REQUESTED,
        comment=review_comment,
    )

    world.objects.update(
        {
            "news.topic": topic,
            "news.published_a": published,
            "news.draft_a": draft,
            "news.submitted_a": submitted,
            "news.changes_requested_a": returned,
        }
    )
    # Nothing but the published post may reach the public pages, feeds or the sitemap.
    for post in (draft, submitted, returned):
        world.secrets[post.title] = set(A_AND_COORDINATION)
        world.secrets[post.slug] = set(A_AND_COORDINATION)
        world.secrets[post.body] = set(A_AND_COORDINATION)
    world.secrets[draft.teaser] = set(A_AND_COORDINATION)
    world.secrets[review_comment] = set(A_AND_COORDINATION)


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


def published_a(world):
    return {"slug": world.objects["news.published_a"].slug}


def municipality_a(world):
    return {"slug": world.municipality_a.slug}


def topic(world):
    return {"slug": world.objects["news.topic"].slug}


# The editor: members of A and coordinators; B's requests for A's posts are "not found".
OWN_POST = Expect(LOGIN, 200, 404, 200, kwargs=_pk("news.draft_a"))

EXPECTATIONS = {
    # --- public pages
    "news:list": public(),
    "news:detail": public(kwargs=published_a),
    "news:feed_rss": public(),
    "news:feed_atom": public(),
    "news:feed_municipality_rss": public(kwargs=municipality_a),
    "news:feed_municipality_atom": public(kwargs=municipality_a),
    "news:feed_topic_rss": public(kwargs=topic),
    "news:feed_topic_atom": public(kwargs=topic),
    "news:robots_txt": public(),
    "sitemap": public(),
    # --- my area: every member writes for their own municipality
    "news:my_posts": members_only(),
    "news:create": members_only(),
    "news:edit": OWN_POST,
    # the preview of the returned post shows its history with the coordinator's comment
    "news:my_preview": Expect(LOGIN, 200, 404, 200, kwargs=_pk("news.changes_requested_a")),
    # POST only: the view redirects to "my posts" with a message (also when the state does
    # not allow it any more, e.g. the coordinator after A has submitted); B finds nothing.
    "news:submit": Expect(
        LOGIN, REDIRECT, 404, REDIRECT, kwargs=_pk("news.draft_a"), method="POST"
    ),
    "news:archive": Expect(
        LOGIN, REDIRECT, 404, REDIRECT, kwargs=_pk("news.published_a"), method="POST"
    ),
    # the editor's live preview is POSTed by script; a GET is not allowed
    "news:markdown_preview": Expect(LOGIN, 405, 405, 405),
}
