"""Personal data held by the framework: mail, sessions, logins, second factors, logs."""

from __future__ import annotations

from auditlog.models import LogEntry as FieldChange
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q

from ikone.models import AuditEntry
from ikone.outbox.models import OutboundEmail
from ikone.privacy import mentions, scrub

COVERS = {
    "outbox.OutboundEmail": "recipient and content: exported; anonymised (address replaced, "
    "bodies removed)",
    "account.EmailAddress": "allauth's addresses of the login: exported; deleted",
    "mfa.Authenticator": "second factors: types exported (never secrets); deleted",
    "admin.LogEntry": "admin history: entries about the person scrubbed of names/addresses",
    "sessions.Session": "open logins: ended",
    "ikone.AuditEntry": "audit trail: kept, names and addresses scrubbed",
    "auditlog.LogEntry": "field history: the changes of the person's own login and contact "
    "record exported; kept, their values replaced, names and addresses scrubbed elsewhere",
}

REMOVED = "[anonymised]"


def _mail(subject):
    query = Q()
    for email in subject.emails:
        query |= Q(to__iexact=email)
    return OutboundEmail.objects.filter(query) if query else OutboundEmail.objects.none()


def export(subject) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    data = {
        "emails_sent_to_you": [
            {
                "created_at": mail.created_at.isoformat(),
                "subject": mail.subject,
                "status": mail.status,
                "sent_at": mail.sent_at.isoformat() if mail.sent_at else None,
            }
            for mail in _mail(subject).order_by("created_at")
        ],
    }
    data["changes_to_your_records"] = [
        {
            "at": entry.timestamp.isoformat(),
            "record": entry.content_type.model,
            "action": entry.get_action_display(),
            "changes": entry.changes or {},
        }
        for entry in FieldChange.objects.filter(_own_records(subject))
        .select_related("content_type")
        .order_by("timestamp", "pk")
    ]
    if subject.user is not None:
        data["login_addresses"] = list(
            EmailAddress.objects.filter(user=subject.user).values("email", "verified", "primary")
        )
        data["second_factors"] = [
            {"type": a.type, "created_at": a.created_at.isoformat()}
            for a in Authenticator.objects.filter(user=subject.user)
        ]
    return data


def end_sessions(user) -> int:
    """Delete every stored session of ``user`` (database sessions)."""
    ended = 0
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def anonymise(subject, *, by) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    _mail(subject).update(
        to=subject.placeholder_email, body_text="", body_html="", attachments=[], headers={}
    )
    mails = OutboundEmail.objects.filter(to=subject.placeholder_email)
    for mail in mails.only("pk", "subject"):
        mail.subject = scrub(mail.subject, subject)
        mail.save(update_fields=["subject"])
    if subject.user is not None:
        EmailAddress.objects.filter(user=subject.user).delete()
        Authenticator.objects.filter(user=subject.user).delete()
        end_sessions(subject.user)
        named = Q()
        for value in {*subject.emails, *subject.names}:
            named |= Q(object_repr__icontains=value) | Q(change_message__icontains=value)
        for entry in LogEntry.objects.filter(named) if named else []:
            repr_ = scrub(entry.object_repr, subject)
            message = scrub(entry.change_message, subject)
            if (repr_, message) != (entry.object_repr, entry.change_message):
                entry.object_repr, entry.change_message = repr_, message
                entry.save(update_fields=["object_repr", "change_message"])
    scrub_entries(subject)


def scrub_entries(subject) -> None:
    """GDPR: keep the trail, but remove the person's names and addresses from it."""
    found = mentions(("actor_repr", "object_repr", "message", "changes"), subject)
    if found is None:
        return
    for entry in AuditEntry.objects.filter(found).iterator():
        entry.actor_repr = scrub(entry.actor_repr, subject)
        entry.object_repr = scrub(entry.object_repr, subject)
        entry.message = scrub(entry.message, subject)
        entry.changes = _scrubbed(entry.changes, subject)
        entry.save(update_fields=["actor_repr", "object_repr", "message", "changes"])
    scrub_field_history(subject)


def _own_records(subject) -> Q:
    """auditlog's entries about the person's own login and contact record."""
    own = Q(pk__in=[])
    for record in (subject.user, subject.contact):
        if record is not None:
            kind = ContentType.objects.get_for_model(type(record))
            own |= Q(content_type=kind, object_pk=str(record.pk))
    return own


def scrub_field_history(subject) -> None:
    """GDPR: auditlog's entries stay (who changed what, when) without the person's values.

    On their own login and contact record every old and new value is replaced (a phone
    number is not a name); elsewhere their names and addresses are scrubbed from the values,
    the object's description and the acting coordinator's address. The link to the acting
    login stays: that login is anonymised itself.
    """
    for entry in FieldChange.objects.filter(_own_records(subject)).iterator():
        entry.changes = _removed(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        entry.object_repr = REMOVED
        entry.save(update_fields=["changes", "changes_text", "serialized_data", "object_repr"])
    found = mentions(("object_repr", "changes", "changes_text", "actor_email"), subject)
    if found is None:
        return
    for entry in FieldChange.objects.filter(found).iterator():
        entry.object_repr = scrub(entry.object_repr, subject)
        entry.changes = _scrubbed(entry.changes, subject)
        entry.changes_text = scrub(entry.changes_text, subject)
        entry.actor_email = scrub(entry.actor_email or "", subject) or None
        entry.save(update_fields=["object_repr", "changes", "changes_text", "actor_email"])


def _removed(changes):
    """Field changes with the field names kept and every value replaced."""
    if not isinstance(changes, dict):
        return changes
    return {name: _removed_value(value) for name, value in changes.items()}


def _removed_value(value):
    if isinstance(value, dict):  # a many-to-many change: {"type", "operation", "objects"}
        return {**value, "objects": [REMOVED]}
    if isinstance(value, list):  # [old, new]: an empty value says "was empty", it stays
        return [item if item in (None, "None", "") else REMOVED for item in value]
    return REMOVED


def _scrubbed(value, subject):
    """``value`` (field changes ``[old, new]`` or a typed action's data) without the person."""
    if isinstance(value, str):
        return scrub(value, subject)
    if isinstance(value, list):
        return [_scrubbed(item, subject) for item in value]
    if isinstance(value, dict):
        return {name: _scrubbed(item, subject) for name, item in value.items()}
    return value
