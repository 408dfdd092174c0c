import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Outside the embedded mode the manifest storage needs ``collectstatic``; the tests
    render pages without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_messages():
    """Services are called in English here, whether or not the catalogues are compiled."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_local_page_cache():
    from ikone.pagecache import forget_version, local_pages

    local_pages.clear()
    forget_version()
