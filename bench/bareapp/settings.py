"""A bare Django project for the baseline: nothing of the portal, three middlewares.

Served by the same gunicorn options as the portal (bench.harness.serve) to show what the
portal's own work costs on top of Django and gunicorn.
"""

SECRET_KEY = "bench-bare-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bareapp.wsgi"
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
USE_TZ = True
