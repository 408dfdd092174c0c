"""Writes with rules in the member network.

Every function takes keyword arguments, runs in one transaction, raises
:class:`MembershipError` with a translated message when a rule forbids the change, and
queues its mail through the outbox so it leaves only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.errors import DomainError
from ikone.outbox import services as outbox
from ikone.text import unique_slug

from .models import Contact, MembershipApplication, Municipality, Topic, User
from .permissions import can_edit_municipality
from .tokens import invitation_path_args, invitation_tokens


class MembershipError(DomainError):
    """A rule of the member network forbids the change."""


# --- Membership applications ----------------------------------------------------------------


def check_ags_available(ags: str, *, exclude_application: MembershipApplication | None = None):
    """Raise unless the AGS is from Rhineland-Palatinate, not a member and not pending."""
    if len(ags) != 8 or not ags.isdigit():
        raise MembershipError(
            _("The municipality key (AGS) consists of exactly 8 digits."), field="ags"
        )
    if not ags.startswith("07"):
        raise MembershipError(
            _(
                "This is not a municipality key of Rhineland-Palatinate: "
                "keys of the state start with 07."
            ),
            field="ags",
        )
    if Municipality.objects.filter(ags=ags).exists():
        raise MembershipError(
            _("A municipality with this key (AGS) already belongs to the network."), field="ags"
        )
    pending = MembershipApplication.objects.filter(
        ags=ags, status=MembershipApplication.Status.PENDING
    )
    if exclude_application is not None:
        pending = pending.exclude(pk=exclude_application.pk)
    if pending.exists():
        raise MembershipError(
            _("An application for this municipality key (AGS) is already being processed."),
            field="ags",
        )


def submit_application(
    *,
    municipality_name: str,
    kind: str,
    ags: str,
    head_of_administration: str,
    letter: UploadedFile,
    contact_first_name: str,
    contact_last_name: str,
    contact_email: str,
    district: str = "",
    website: str = "",
    contact_phone: str = "",
    contact_position: str = "",
    message: str = "",
) -> MembershipApplication:
    """Store a public membership application and tell the coordination team."""
    with transaction.atomic():
        check_ags_available(ags)
        application = MembershipApplication(
            municipality_name=municipality_name.strip(),
            kind=kind,
            district=district.strip(),
            ags=ags,
            head_of_administration=head_of_administration.strip(),
            website=website,
            contact_first_name=contact_first_name.strip(),
            contact_last_name=contact_last_name.strip(),
            contact_email=contact_email.strip().lower(),
            contact_phone=contact_phone.strip(),
            contact_position=contact_position.strip(),
            message=message.strip(),
            privacy_consent_at=timezone.now(),
        )
        application.letter.save(letter.name, letter, save=False)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            application.letter.delete(save=False)  # no row names it: do not keep the letter
            raise MembershipError(
                _("An application for this municipality key (AGS) is already being processed."),
                field="ags",
            ) from None
        outbox.queue_email(
            to=application.contact_email,
            template="members/application_received",
            context={"application": application},
            reference=f"application:{application.pk}",
        )
        _notify_coordinators(
            template="members/application_new",
            context={
                "application": application,
                "admin_url": settings.SITE_URL
                + reverse("admin:members_membershipapplication_change", args=[application.pk]),
            },
            reference=f"application:{application.pk}",
        )
    return application


def _notify_coordinators(*, template: str, context: dict, reference: str) -> None:
    coordinators = User.objects.filter(is_staff=True, is_active=True).order_by("pk")
    outbox.queue_emails(
        outbox.Message(to=user.email, template=template, context=context, reference=reference)
        for user in coordinators
    )


def _locked_pending(application: MembershipApplication) -> MembershipApplication:
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != MembershipApplication.Status.PENDING:
        raise MembershipError(
            _("This application has already been decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def approve_application(*, application: MembershipApplication, by: User) -> Municipality:
    """Create the municipality and its contact person from the application and invite them."""
    with transaction.atomic():
        application = _locked_pending(application)
        check_ags_available(application.ags, exclude_application=application)
        if Contact.objects.filter(email__iexact=application.contact_email).exists():
            raise MembershipError(
                _("A contact person with the e-mail address %(email)s already exists.")
                % {"email": application.contact_email}
            )
        municipality = Municipality.objects.create(
            name=application.municipality_name,
            slug=unique_slug(Municipality.objects.all(), application.municipality_name),
            kind=application.kind,
            district=application.district,
            ags=application.ags,
            head_of_administration=application.head_of_administration,
            website=application.website,
            member_since=timezone.localdate(),
        )
        contact = Contact.objects.create(
            municipality=municipality,
            first_name=application.contact_first_name,
            last_name=application.contact_last_name,
            email=application.contact_email,
            phone=application.contact_phone,
            position=application.contact_position,
            is_primary=True,
        )
        application.status = MembershipApplication.Status.APPROVED
        application.decided_at = timezone.now()
        application.decided_by = by
        application.municipality = municipality
        application.save(update_fields=["status", "decided_at", "decided_by", "municipality"])
        invite_contact(contact=contact)
    return municipality


def reject_application(
    *, application: MembershipApplication, by: User, reason: str
) -> MembershipApplication:
    """Reject an application and mail the reason to its contact person."""
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError(_("Please give a reason for the rejection."), field="reason")
    with transaction.atomic():
        application = _locked_pending(application)
        application.status = MembershipApplication.Status.REJECTED
        application.rejection_reason = reason
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
        outbox.queue_email(
            to=application.contact_email,
            template="members/application_rejected",
            context={"application": application},
            reference=f"application:{application.pk}",
        )
    return application


# --- Invitations ----------------------------------------------------------------------------


def invite_contact(*, contact: Contact, by: User | None = None) -> Contact:
    """Give the contact a login (without a password) and mail a one-time link to set one."""
    if not contact.is_active:
        raise MembershipError(
            _("%(name)s is not active and cannot be invited.") % {"name": contact.full_name}
        )
    if contact.has_login:
        raise MembershipError(_("%(name)s already has a login.") % {"name": contact.full_name})
    with transaction.atomic():
        user = contact.user
        if user is None:
            user = User.objects.filter(email__iexact=contact.email).first()
            if user is not None and Contact.objects.filter(user=user).exists():
                raise MembershipError(
                    _("The e-mail address %(email)s already belongs to another login.")
                    % {"email": contact.email}
                )
        if user is None:
            user = User(email=contact.email.lower())
        user.first_name = contact.first_name
        user.last_name = contact.last_name
        user.set_unusable_password()
        user.save()
        contact.user = user
        contact.invited_at = timezone.now()
        contact.save(update_fields=["user", "invited_at", "updated_at"])
        link = settings.SITE_URL + reverse(
            "members:accept_invitation", kwargs=invitation_path_args(user)
        )
        outbox.queue_email(
            to=contact.email,
            template="members/invitation",
            context={
                "contact": contact,
                "link": link,
                "days": settings.IKONE_INVITATION_DAYS,
            },
            language=contact.language,
            reference=f"invitation:{contact.pk}",
        )
        audit.record(action=AuditAction.CONTACT_INVITED, obj=contact, by=by)
    return contact


def invite_contacts(
    *, contacts: Iterable[Contact], by: User | None = None
) -> tuple[int, list[str]]:
    """Invite several contacts; return how many were invited and why the others were not."""
    invited, problems = 0, []
    for contact in contacts:
        try:
            invite_contact(contact=contact, by=by)
        except MembershipError as error:
            problems.append(str(error))
        else:
            invited += 1
    return invited, problems


def check_invitation(*, user: User | None, token: str) -> bool:
    return user is not None and user.is_active and invitation_tokens.check_token(user, token)


def accept_invitation(*, user: User, token: str, password: str) -> User:
    """Set the first password through an invitation link (works once, until it expires)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not check_invitation(user=user, token=token):
            raise MembershipError(
                _(
                    "This invitation link has expired or has already been used. "
                    "Please ask the coordination team for a new invitation."
                )
            )
        user.set_password(password)
        user.save(update_fields=["password"])
        _mark_email_verified(user)
    return user


def _mark_email_verified(user: User) -> None:
    """The invitation reached this address: allauth may treat it as verified."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


# --- Profile --------------------------------------------------------------------------------


def update_profile(*, contact: Contact, by: User, **fields) -> Contact:
    """A member edits their own contact data (not the e-mail address, which is the login)."""
    allowed = {"first_name", "last_name", "phone", "position", "language", "public_speaker"}
    unknown = set(fields) - allowed - {"topics"}
    if unknown:
        raise MembershipError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if contact.user_id != by.pk:
        raise MembershipError(_("You can only edit your own profile."))
    topics = fields.pop("topics", None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.save(update_fields=[*fields.keys(), "updated_at"])
        if topics is not None:
            contact.topics.set(topics)
        if "first_name" in fields or "last_name" in fields:
            # save(), not update(): a coordinator editing their own name leaves field history
            by.first_name, by.last_name = contact.first_name, contact.last_name
            by.save(update_fields=["first_name", "last_name"])
    return contact


def set_municipality_topics(
    *, municipality: Municipality, topics: Iterable[Topic], by: User
) -> Municipality:
    if not can_edit_municipality(by, municipality):
        raise MembershipError(_("You can only edit the topics of your own municipality."))
    municipality.topics.set(list(topics))
    return municipality


def email_in_use(email: str, *, exclude: Contact | None = None) -> bool:
    qs = Contact.objects.annotate(lower_email=Lower("email")).filter(lower_email=email.lower())
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


# --- Mail preference ------------------------------------------------------------------------


def essential_only_addresses(addresses: Iterable[str]) -> set[str]:
    """Outbox hook: which of these addresses belong to contacts wanting essential mail only."""
    addresses = [address.lower() for address in addresses]
    return {
        email.lower()
        for email in Contact.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=addresses, only_essential_mail=True)
        .values_list("email", flat=True)
    }


def set_mail_preference(*, contact: Contact, by: User, only_essential: bool) -> Contact:
    """A member chooses whether they receive notifications or only essential mail."""
    if contact.user_id != by.pk:
        raise MembershipError(_("You can only edit your own profile."))
    contact.only_essential_mail = bool(only_essential)
    contact.save(update_fields=["only_essential_mail", "updated_at"])
    return contact
