import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collectstatic manifest (PostgreSQL runs use the manifest storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def smtp_on_free_port():
    """A real SMTP server (aiosmtpd) on a free port; yields (recorder, port).

    Like ``tests.services.smtp_server``, but picks the port first: aiosmtpd's controller
    cannot start on port 0 (its start-up self-check connects to the configured port).
    """
    import socket

    from aiosmtpd.controller import Controller

    from tests.services import SMTPRecorder

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()
