import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    """Services are called in English here, whether or not the catalogues are compiled."""
    from django.utils import translation

    with translation.override("en"):
        yield
