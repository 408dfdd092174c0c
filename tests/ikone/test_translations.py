"""Words that two apps translate differently: all apps share one German catalogue, so a bare
msgid reads as whichever app's translation wins. Such words carry a context."""

from django.utils import translation

from meetings.models import MinutesStatus
from members.models import MembershipApplication


def test_status_words_that_mean_different_things_in_two_apps():
    with translation.override("de"):
        assert str(MinutesStatus.APPROVED.label) == "genehmigt"  # minutes are approved
        assert str(MembershipApplication.Status.APPROVED.label) == "angenommen"
        assert str(MembershipApplication.Status.PENDING.label) == "offen"  # not "wartend"
    with translation.override("en"):
        assert str(MinutesStatus.APPROVED.label) == "approved"
        assert str(MembershipApplication.Status.PENDING.label) == "pending"


def _project_catalogues():
    """The German catalogues Django reads for the project: LOCALE_PATHS and the project's
    own apps (no walk over the virtualenv)."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    folders = [Path(folder) for folder in settings.LOCALE_PATHS]
    folders += [
        Path(config.path) / "locale"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root) and ".venv" not in Path(config.path).parts
    ]
    found = (folder / "de" / "LC_MESSAGES" / "django.po" for folder in folders)
    return sorted(path for path in found if path.exists())


def test_every_catalogue_says_what_the_portal_shows():
    """A msgid that two catalogues translate differently shows only one of them (the first
    app in INSTALLED_APPS, LOCALE_PATHS over all, third-party apps too): the other
    catalogue's German never appears. Words that mean different things carry a context."""
    from babel.messages.pofile import read_po

    catalogues = _project_catalogues()
    assert len(catalogues) >= 8  # every app's catalogue and the project's own
    differing = []
    with translation.override("de"):
        for path in catalogues:
            with path.open("rb") as file:
                catalogue = read_po(file)
            for message in catalogue:
                if not message.id or not message.string or message.fuzzy:
                    continue
                if isinstance(message.id, tuple):  # plural forms: not compared
                    continue
                if message.context:
                    shown = translation.pgettext(message.context, message.id)
                else:
                    shown = translation.gettext(message.id)
                if shown != message.string:
                    differing.append((str(path.parent), message.id, message.string, shown))
    assert differing == []


def test_words_with_two_meanings_read_right_in_german():
    from circulars.models import Circular
    from ikone.outbox.models import OutboundEmail
    from meetings.models import ActionItem, AgendaItem
    from members.models import Contact, Topic

    with translation.override("de"):
        assert str(Contact._meta.get_field("position").verbose_name) == "Funktion"
        assert str(AgendaItem._meta.get_field("position").verbose_name) == "Position"
        assert str(Topic._meta.get_field("position").verbose_name) == "Position"
        assert str(ActionItem._meta.get_field("who").verbose_name) == "Wer"
        assert str(OutboundEmail.Status.SENT.label) == "gesendet"
        assert str(Circular.Status.SENT.label) == "gesendet"
        assert translation.pgettext("answer to a correction", "Reply") == "Antwort"
        assert translation.gettext("Reply") == "Antworten"  # the circular's to-do button
        assert translation.pgettext("button", "Continue") == "Weiter bearbeiten"
        assert translation.gettext("Save") == "Speichern"
        # the admin's other buttons beside it, and its record of changes as on a post's page
        assert translation.gettext("Save and continue editing") == "Speichern und weiter bearbeiten"
        assert translation.gettext("Save and add another") == "Speichern und neu hinzufügen"
        history = translation.pgettext("record of changes", "History")
        assert translation.gettext("History") == history == "Verlauf"
        # the admin's marker says what the field, its filter and the circulars' audience say
        primary = str(Contact._meta.get_field("is_primary").verbose_name)
        assert translation.pgettext("contact person", "primary") == primary
        assert primary == "Hauptansprechperson"
    with translation.override("en"):
        assert str(Contact._meta.get_field("position").verbose_name) == "position"
        assert str(OutboundEmail.Status.SENT.label) == "sent"
