"""Personal data in the member network (collected by ``ikone.privacy``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Contact, MembershipApplication, Visit

COVERS = {
    "members.User": "the login: exported; anonymised (placeholder address, no name, "
    "unusable password, inactive)",
    "members.Contact": "the contact record: exported; anonymised (name, address, phone, "
    "position, topics removed; inactive; no longer named as speaker in OParl); the "
    "municipality's figures stay",
    "members.MembershipApplication": "applications naming the person: exported; contact "
    "fields anonymised, the application letter deleted",
    "members.Visit": "visits a coordinator recorded: listed; the FK keeps pointing to the "
    "anonymised login",
}


def contact_of_login(user) -> Contact | None:
    """The contact record of a login, active or not (registered with ``ikone.privacy``)."""
    return Contact.objects.filter(user=user).first()


def _applications(subject):
    query = Q()
    for email in subject.emails:
        query |= Q(contact_email__iexact=email)
    if subject.user is not None:
        query |= Q(decided_by=subject.user)
    return (
        MembershipApplication.objects.filter(query)
        if query
        else MembershipApplication.objects.none()
    )


def export(subject) -> dict:
    data: dict = {}
    if subject.user is not None:
        user = subject.user
        data["login"] = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_coordinator": user.is_staff,
        }
        data["visits_recorded"] = [
            {"municipality": str(v.municipality), "date": v.date.isoformat()}
            for v in Visit.objects.filter(created_by=user).select_related("municipality")
        ]
    if subject.contact is not None:
        c = subject.contact
        data["contact"] = {
            "municipality": c.municipality.name,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "email": c.email,
            "phone": c.phone,
            "position": c.position,
            "primary_contact": c.is_primary,
            "active": c.is_active,
            "language": c.language,
            "may_be_named_publicly_as_speaker": c.public_speaker,
            "topics": [t.name for t in c.topics.all()],
            "invited_at": c.invited_at.isoformat() if c.invited_at else None,
            "created_at": c.created_at.isoformat(),
        }
    data["membership_applications"] = [
        {
            "municipality": a.municipality_name,
            "contact_first_name": a.contact_first_name,
            "contact_last_name": a.contact_last_name,
            "contact_email": a.contact_email,
            "contact_phone": a.contact_phone,
            "contact_position": a.contact_position,
            "message": a.message,
            "status": a.status,
            "received": a.created_at.isoformat(),
        }
        for a in _applications(subject)
        if a.contact_email.lower() in subject.emails
    ]
    return data


def anonymise(subject, *, by) -> None:
    placeholder = subject.placeholder_email
    for application in _applications(subject):
        if application.contact_email.lower() not in subject.emails:
            continue  # only decided by the person: the FK keeps the anonymised login
        if application.letter:
            application.letter.delete(save=False)
        application.contact_first_name = "–"
        application.contact_last_name = "–"
        application.contact_email = placeholder
        application.contact_phone = ""
        application.contact_position = ""
        application.message = ""
        application.save(
            update_fields=[
                "letter",
                "contact_first_name",
                "contact_last_name",
                "contact_email",
                "contact_phone",
                "contact_position",
                "message",
            ]
        )
    if subject.contact is not None:
        contact = Contact.objects.get(pk=subject.contact.pk)
        contact.first_name = "–"
        contact.last_name = "–"
        contact.email = placeholder
        contact.phone = ""
        contact.position = ""
        contact.is_primary = False
        contact.is_active = False
        contact.public_speaker = False
        contact.save(
            update_fields=[
                "first_name",
                "last_name",
                "email",
                "phone",
                "position",
                "is_primary",
                "is_active",
                "public_speaker",
                "updated_at",
            ]
        )
        contact.topics.clear()
    if subject.user is not None:
        user = get_user_model().objects.get(pk=subject.user.pk)
        user.email = placeholder
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
