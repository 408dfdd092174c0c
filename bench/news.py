"""News pages under load: homepage and news list (anonymous, cache warm) vs the trivial view.

    python -m bench.news            # embedded SQLite, local-memory cache per worker
    DATABASE_URL=... REDIS_URL=... SECRET_KEY=x python -m bench.news   # production shape

Seeds 10,000 published posts (once), then loads each page with 32 connections for 5 s,
the pages taking turns for three rounds, against gunicorn with 2 workers. Also prints the
query count of a cold render.
"""

from datetime import timedelta

from bench.harness import load, query_count, row, serve, setup_django, warm

POSTS = 10_000
SECONDS = 5
ROUNDS = 3


def seed() -> None:
    from django.utils import timezone

    from members.models import Municipality, Topic
    from news.models import Post

    if Post.objects.filter(slug__startswith="bench-").count() >= POSTS:
        return
    Post.objects.filter(slug__startswith="bench-").delete()
    municipalities = [
        Municipality.objects.get_or_create(
            slug=f"bench-kommune-{n}",
            defaults={"name": f"Benchstadt {n}", "kind": "stadt", "ags": f"0799{n:04d}"},
        )[0]
        for n in range(30)
    ]
    topics = [
        Topic.objects.get_or_create(slug=f"bench-thema-{n}", defaults={"name": f"Benchthema {n}"})[
            0
        ]
        for n in range(8)
    ]
    now = timezone.now()
    body = "Ein Absatz über **Digitalisierung** in der Verwaltung.\n\n" * 20
    html = "<p>Ein Absatz über <strong>Digitalisierung</strong> in der Verwaltung.</p>" * 20
    posts = Post.objects.bulk_create(
        (
            Post(
                title=f"Benchbeitrag Nummer {n} aus dem Netzwerk",
                slug=f"bench-{n}",
                teaser="Die Mitglieder tauschten sich über Verwaltungsdigitalisierung aus.",
                body=body,
                body_html=html,
                kind=("news", "blog", "meeting_report")[n % 3],
                municipality=municipalities[n % len(municipalities)],
                status=Post.Status.PUBLISHED,
                published_at=now - timedelta(hours=n),
            )
            for n in range(POSTS)
        ),
        batch_size=1000,
    )
    Post.topics.through.objects.bulk_create(
        (
            Post.topics.through(post_id=post.pk, topic_id=topics[i % len(topics)].pk)
            for i, post in enumerate(posts)
        ),
        batch_size=2000,
    )


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.STATIC_MANIFEST:  # the manifest storage of the production profile needs it
        call_command("collectstatic", interactive=False, verbosity=0)

    seed()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # for query_count
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
          f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
          f"{POSTS} posts")  # fmt: skip
    for path in ("/", "/neuigkeiten/", "/neuigkeiten/?kind=blog&page=3"):
        from django.core.cache import cache

        cache.clear()
        print(f"queries for a cold render of {path}: {query_count(path)}")
    with serve(workers=2) as base:
        pages = [
            ("trivial view", "/bench/trivial/"),
            ("homepage", "/"),
            ("news list", "/neuigkeiten/"),
            ("news list, filtered p.3", "/neuigkeiten/?kind=blog&page=3"),
        ]
        for _label, path in pages:
            warm(base + path)
        # The machine's speed drifts (shared host): the pages take turns, ROUNDS times, and
        # each ratio compares a page with the trivial view of the same round.
        rounds: list[dict] = []
        for _round in range(ROUNDS):
            rounds.append(
                {label: load(base + path, seconds=SECONDS, connections=32) for label, path in pages}
            )
        for number, results in enumerate(rounds, start=1):
            print(f"round {number}")
            baseline = results["trivial view"]
            for label, _path in pages:
                print(row(label, results[label], None if label == "trivial view" else baseline))
        print("median ratio to the trivial view of the same round:")
        for label, _path in pages[1:]:
            ratios = sorted(r[label]["rps"] / r["trivial view"]["rps"] for r in rounds)
            print(f"  {label:<28} {ratios[len(ratios) // 2]:.2f}×  (rounds: "
                  + ", ".join(f"{ratio:.2f}" for ratio in ratios) + ")")  # fmt: skip


if __name__ == "__main__":
    main()
