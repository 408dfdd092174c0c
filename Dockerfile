# IKONE Portal: one image for web (gunicorn), Celery worker and Celery beat.
# bookworm: its postgresql-client 15 matches the postgres:15 service (pg_dump must not be
# older than the server).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    IKONE_VAR_DIR=/var/lib/ikone \
    MEDIA_ROOT=/var/lib/ikone/media \
    PRIVATE_MEDIA_ROOT=/var/lib/ikone/private

# postgresql-client: pg_dump/pg_restore for `manage.py backup` and `manage.py restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 ikone \
    && useradd --system --uid 10001 --gid ikone --home-dir /app --shell /usr/sbin/nologin ikone

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY --chown=ikone:ikone . .

# Compile the German catalogues and collect static files at build time. Settings need a
# secret to import; this throwaway value exists only inside this build step.
RUN for dir in locale members/locale meetings/locale news/locale surveys/locale ikone/outbox/locale; do \
        if [ -d "$dir" ]; then pybabel -q compile -D django -d "$dir" || exit 1; fi; \
        if [ -f "$dir/de/LC_MESSAGES/djangojs.po" ]; then pybabel -q compile -D djangojs -d "$dir" || exit 1; fi; \
    done \
    && IKONE_STATIC_MANIFEST=1 SECRET_KEY=build-only \
       python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/ikone/media /var/lib/ikone/private /var/lib/ikone/backups \
    && chown -R ikone:ikone /var/lib/ikone

USER ikone
EXPOSE 8000

# Liveness: answered before host checks and HTTPS redirect (ikone.security.HealthCheckMiddleware).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4).status != 200)"

CMD ["gunicorn", "ikone.wsgi:application", "--config", "python:ikone.gunicorn"]
