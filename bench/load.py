"""Load: 200 concurrent connections for 60 s on the homepage, news list and login page.

Under gunicorn against PostgreSQL with the Redis cache (the production shape). Run with

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikone REDIS_URL=redis://127.0.0.1:6379/0 \\
        SECRET_KEY=x python -m bench.load

Without DATABASE_URL it measures the embedded SQLite shape and says so. Environment:
BENCH_SECONDS (60), BENCH_CONNECTIONS (200), BENCH_WORKERS (gunicorn workers, 2 × cores + 1).
"""

import os

from bench.harness import load, row, serve, setup_django, warm


def main() -> None:
    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "200"))
    workers = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
    setup_django()

    from django.conf import settings
    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse

    call_command("load_demo", verbosity=0)
    shape = (
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    print(f"gunicorn {workers} workers, {shape}; {connections} connections × {seconds} s each")

    pages = [("homepage", "/"), ("login page", reverse("account_login"))]
    try:
        pages.insert(1, ("news list", reverse("news:list")))
    except NoReverseMatch:
        print("news list: skipped (the news app has no 'news:list' URL in this tree)")

    with serve(workers=workers) as base_url:
        for label, path in pages:
            warm(base_url + path)
            result = load(base_url + path, seconds=seconds, connections=connections, threads=4)
            print(row(label, result))


if __name__ == "__main__":
    main()
