"""WSGI application and URLs of the bare baseline project (bench.bareapp.settings)."""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bareapp.settings")

PAGE = (
    b'<!DOCTYPE html>\n<html lang="de">\n<head><meta charset="utf-8"><title>Bare</title></head>\n'
    b"<body><h1>Bare Django</h1><p>One view, three middlewares.</p></body>\n</html>\n"
)


def page(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

application = get_wsgi_application()
