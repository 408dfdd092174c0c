"""Writes with rules in the member network.

Every function takes keyword arguments, runs in one transaction, raises
:class:`MembershipError` with a translated message when a rule forbids the change, and
queues its mail through the outbox so it leaves only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.errors import DomainError
from ikone.outbox import services as outbox
from ikone.storage import PRIVATE
from ikone.text import unique_slug

from .models import Contact, MembershipApplication, Municipality, Topic, User
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


def invite_contact(*, contact: Contact) -> Contact:
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
        audit.record(action="action", obj=contact, message="invitation to the portal sent")
    return contact


def invite_contacts(*, contacts: Iterable[Contact]) -> tuple[int, list[str]]:
    """Invite several contacts; return how many were invited and why the others were not."""
    invited, problems = 0, []
    for contact in contacts:
        try:
            invite_contact(contact=contact)
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
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


# --- Profile --------------------------------------------------------------------------------


def update_profile(*, contact: Contact, by: User, **fields) -> Contact:
    """A member edits their own contact data (not the e-mail address, which is the login)."""
    allowed = {"first_name", "last_name", "phone", "position", "language"}
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
            User.objects.filter(pk=by.pk).update(
                first_name=contact.first_name, last_name=contact.last_name
            )
    return contact


def set_municipality_topics(
    *, municipality: Municipality, topics: Iterable[Topic], by: User
) -> Municipality:
    from .permissions import can_edit_municipality

    if not can_edit_municipality(by, municipality):
        raise MembershipError(_("You can only edit the topics of your own municipality."))
    municipality.topics.set(list(topics))
    return municipality


def email_in_use(email: str, *, exclude: Contact | None = None) -> bool:
    qs = Contact.objects.annotate(lower_email=Lower("email")).filter(lower_email=email.lower())
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


# --- Circular letters -----------------------------------------------------------------------

CIRCULAR_LINK_SALT = "members.circular.reply"


class CircularError(DomainError):
    """A rule of circular letters forbids the change."""


class InvalidReplyLink(CircularError):
    """The reply link is tampered with, expired or belongs to another circular."""


def essential_only_addresses(addresses) -> set[str]:
    """Outbox hook: which of these addresses belong to contacts wanting essential mail only."""
    from .models import Contact

    addresses = [address.lower() for address in addresses]
    return {
        email.lower()
        for email in Contact.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=addresses, only_essential_mail=True)
        .values_list("email", flat=True)
    }


def render_markdown(text: str) -> str:
    """Markdown of a coordinator's circular, rendered and sanitised for mail and pages."""
    from ikone.markup import render_markdown as render

    return render(text)


def circular_audience(circular):
    """Active contacts of member municipalities the circular goes to (an ordered queryset)."""
    from django.db.models import Q

    from .models import Circular

    contacts = Contact.objects.active()
    audience = circular.audience
    if audience == Circular.Audience.PRIMARY:
        contacts = contacts.filter(is_primary=True)
    elif audience == Circular.Audience.KIND:
        contacts = contacts.filter(municipality__kind__in=circular.kinds or [])
    elif audience == Circular.Audience.DISTRICT:
        contacts = contacts.filter(municipality__district__in=circular.districts or [])
    elif audience == Circular.Audience.TOPIC:
        topic_ids = list(circular.topics.values_list("pk", flat=True))
        matching = Contact.objects.filter(
            Q(topics__in=topic_ids) | Q(municipality__topics__in=topic_ids)
        ).values("pk")
        contacts = contacts.filter(pk__in=matching)
    elif audience == Circular.Audience.HANDPICKED:
        contacts = contacts.filter(pk__in=circular.contacts.values("pk"))
    return contacts.select_related("municipality").order_by("pk")


def _token(circular_id: int, contact_id: int) -> str:
    from django.core import signing

    return signing.dumps({"c": circular_id, "k": contact_id}, salt=CIRCULAR_LINK_SALT)


def reply_token(recipient) -> str:
    return _token(recipient.circular_id, recipient.contact_id)


def _reply_base(circular_id: int, contact_id: int) -> str:
    return settings.SITE_URL + reverse(
        "members:circular_reply",
        kwargs={"pk": circular_id, "token": _token(circular_id, contact_id)},
    )


def _reply_links(circular_id: int, contact_ids: Iterable[int]) -> dict[int, str]:
    """``_reply_base`` for many contacts at once: the URL is reversed once and one signer
    signs every token (the same links, at a fraction of the cost per recipient)."""
    from django.core import signing

    placeholder = "ikone-reply-token"
    url = settings.SITE_URL + reverse(
        "members:circular_reply", kwargs={"pk": circular_id, "token": placeholder}
    )
    before, after = url.split(placeholder)
    signer = signing.TimestampSigner(salt=CIRCULAR_LINK_SALT)
    return {
        contact_id: before + signer.sign_object({"c": circular_id, "k": contact_id}) + after
        for contact_id in contact_ids
    }


def reply_url(recipient, answer: str = "") -> str:
    url = _reply_base(recipient.circular_id, recipient.contact_id)
    return f"{url}?antwort={answer}" if answer else url


def recipient_from_token(*, circular_id: int, token: str):
    """The recipient a reply link belongs to; :class:`InvalidReplyLink` for anything else."""
    from django.core import signing

    from .models import CircularRecipient

    invalid = InvalidReplyLink(
        _(
            "This reply link is not valid. Please use the link from your e-mail exactly as "
            "it is, or contact the coordination team."
        )
    )
    try:
        data = signing.loads(
            token,
            salt=CIRCULAR_LINK_SALT,
            max_age=settings.IKONE_CIRCULAR_LINK_DAYS * 24 * 60 * 60,
        )
    except signing.SignatureExpired:
        raise InvalidReplyLink(
            _("This reply link has expired. Please contact the coordination team.")
        ) from None
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(data, dict) or data.get("c") != circular_id:
        raise invalid
    recipient = (
        CircularRecipient.objects.select_related("circular", "contact__municipality")
        .filter(circular_id=circular_id, contact_id=data.get("k"))
        .first()
    )
    if recipient is None:
        raise invalid
    return recipient


def _circular_attachments(circular) -> list[outbox.Attachment]:
    return [
        outbox.Attachment(
            filename=attachment.filename,
            mimetype="application/pdf",
            storage_path=attachment.file.name,
            storage=PRIVATE,
        )
        for attachment in circular.attachments.all()
    ]


# Stand-ins rendered once per language and replaced per recipient (mass mail stays fast).
_NAME = "[[ikone-recipient-name]]"
_LINK = "[[ikone-reply-link]]"


def circular_context(circular, *, name: str, link: str, attachments, is_test: bool) -> dict:
    """Template context of the circular's mail; ``link`` is the personal reply link."""
    answers = []
    if link and circular.has_question:
        answers = [
            {"label": label, "url": f"{link}?antwort={value}"}
            for value, label in circular.answer_options()
        ]
    return {
        "circular": circular,
        "name": name,
        "body_html": render_markdown(circular.body),
        "answers": answers,
        "reply_url": link,
        "is_test": is_test,
        "attachment_names": [attachment.filename for attachment in attachments],
        "archive_url": settings.SITE_URL + reverse("members:circular_archive"),
    }


def _personalise(template: outbox.RenderedEmail, *, name: str, link: str):
    from django.utils.html import escape

    return outbox.RenderedEmail(
        subject=template.subject,
        text=template.text.replace(_NAME, name).replace(_LINK, link),
        html=template.html.replace(_NAME, str(escape(name))).replace(_LINK, link),
    )


def send_test_copy(*, circular, by: User):
    """Mail the circular to the coordinator only; nothing is recorded as sent."""
    if not by.email:
        raise CircularError(_("Your login has no e-mail address for a test copy."))
    attachments = _circular_attachments(circular)
    with transaction.atomic():
        email = outbox.queue_email(
            to=by.email,
            template="members/circular",
            context=circular_context(
                circular,
                name=by.get_full_name() or by.email,
                link="",
                attachments=attachments,
                is_test=True,
            ),
            attachments=attachments,
            reference=f"circular-test:{circular.pk}",
        )
        audit.record(action="action", obj=circular, message="test copy sent", actor=by)
    return email


def send_circular(*, circular, by: User, now=None):
    """Send the circular now, or schedule it when its send time lies in the future.

    The circular row is locked and its status checked first, so a second click (or a second
    coordinator) gets a clear message instead of a second round of mail.
    """
    from .models import Circular

    now = now or timezone.now()
    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        if locked.status != Circular.Status.DRAFT:
            raise CircularError(
                _("This circular letter has already been %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if not circular_audience(locked).exists():
            raise CircularError(
                _("This circular letter has no recipients. Please choose another audience.")
            )
        locked.sent_by = by
        if locked.scheduled_at and locked.scheduled_at > now:
            locked.status = Circular.Status.SCHEDULED
            locked.save(update_fields=["status", "sent_by", "updated_at"])
            audit.record(
                action="action",
                obj=locked,
                message=f"scheduled for {timezone.localtime(locked.scheduled_at):%Y-%m-%d %H:%M}",
                actor=by,
            )
            return locked
        count = _dispatch(locked, now=now)
        audit.record(action="action", obj=locked, message=f"sent to {count} recipients", actor=by)
    return locked


def unschedule_circular(*, circular, by: User):
    """Take a scheduled circular back to draft."""
    from .models import Circular

    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        if locked.status != Circular.Status.SCHEDULED:
            raise CircularError(_("Only a scheduled circular letter can be taken back."))
        locked.status = Circular.Status.DRAFT
        locked.save(update_fields=["status", "updated_at"])
    return locked


def _dispatch(circular, *, now) -> int:
    """Create one outbox mail and one recipient row per contact (caller holds the lock).

    The mail is rendered once per language; name and personal link are filled in per
    recipient, so thousands of recipients take one request of reasonable length.
    """
    from .models import Circular, CircularRecipient

    contacts = list(
        circular_audience(circular)
        .select_related(None)
        .only("pk", "email", "language", "first_name", "last_name")
    )
    if not contacts:
        raise CircularError(
            _("This circular letter has no recipients. Please choose another audience.")
        )
    links = _reply_links(circular.pk, [contact.pk for contact in contacts])
    attachments = _circular_attachments(circular)
    templates = {
        language: outbox.render_email(
            template="members/circular",
            context=circular_context(
                circular, name=_NAME, link=_LINK, attachments=attachments, is_test=False
            ),
            language=language,
        )
        for language in {contact.language for contact in contacts}
    }
    messages = []
    for contact in contacts:
        rendered = _personalise(
            templates[contact.language],
            name=contact.full_name,
            link=links[contact.pk],
        )
        messages.append(
            outbox.Message(
                to=contact.email,
                template="members/circular",
                rendered=rendered,
                language=contact.language,
                attachments=attachments,
                category=outbox.OutboundEmail.Category.ESSENTIAL,
                reference=circular.reference,
            )
        )
    emails = outbox.queue_emails(messages)
    outbox.insert_rows(
        CircularRecipient,
        [
            CircularRecipient(circular_id=circular.pk, contact_id=contact.pk, email_id=email.pk)
            for contact, email in zip(contacts, emails, strict=True)
        ],
    )
    circular.status = Circular.Status.SENDING
    circular.sent_at = now
    circular.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    return len(contacts)


def send_due_circulars(*, now=None) -> int:
    """Beat: dispatch scheduled circulars whose time has come; mark finished ones sent."""
    from .models import Circular

    now = now or timezone.now()
    dispatched = 0
    due = Circular.objects.filter(status=Circular.Status.SCHEDULED, scheduled_at__lte=now)
    for circular_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                Circular.objects.select_for_update(skip_locked=True)
                .filter(pk=circular_id, status=Circular.Status.SCHEDULED)
                .first()
            )
            if locked is None:
                continue
            try:
                with transaction.atomic():
                    _dispatch(locked, now=now)
            except CircularError:
                locked.status = Circular.Status.DRAFT
                locked.save(update_fields=["status", "updated_at"])
                continue
            dispatched += 1
    for circular in Circular.objects.filter(status=Circular.Status.SENDING):
        refresh_circular_status(circular=circular)
    return dispatched


def circular_progress(*, circular) -> dict:
    """Counts of the circular's mail by delivery state (queued includes retries waiting)."""
    from django.db.models import Count

    from .models import CircularRecipient

    Status = outbox.OutboundEmail.Status
    rows = (
        CircularRecipient.objects.filter(circular=circular)
        .values("email__status")
        .annotate(n=Count("pk"))
    )
    by_status = {row["email__status"]: row["n"] for row in rows}
    queued = by_status.get(Status.PENDING, 0) + by_status.get(Status.SENDING, 0)
    return {
        "total": sum(by_status.values()),
        "queued": queued,
        "sent": by_status.get(Status.SENT, 0),
        "failed": by_status.get(Status.FAILED, 0),
        "done": queued == 0,
        "status": circular.status,
    }


def refresh_circular_status(*, circular):
    """A circular whose mail has all been delivered (or given up) counts as sent."""
    from .models import Circular

    if circular.status == Circular.Status.SENDING and circular_progress(circular=circular)["done"]:
        Circular.objects.filter(pk=circular.pk, status=Circular.Status.SENDING).update(
            status=Circular.Status.SENT
        )
        circular.status = Circular.Status.SENT
    return circular


def retry_failed_recipients(*, circular) -> int:
    """Queue the failed mail of a circular again."""
    from .models import Circular

    emails = outbox.OutboundEmail.objects.filter(
        reference=circular.reference, status=outbox.OutboundEmail.Status.FAILED
    )
    count = outbox.retry_failed(emails=emails)
    if count:
        Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.SENDING)
        circular.status = Circular.Status.SENDING
        audit.record(action="action", obj=circular, message=f"{count} failed mails queued again")
    return count


def answer_circular(*, recipient, answer: str, comment: str = "", now=None):
    """Record (or change) a recipient's answer until the circular closes."""
    from .models import CircularRecipient

    now = now or timezone.now()
    circular = recipient.circular
    if not circular.has_question:
        raise CircularError(_("This circular letter does not ask for an answer."))
    if circular.closes_at is not None and now >= circular.closes_at:
        raise CircularError(
            _("Answers to this circular letter closed on %(date)s.")
            % {"date": timezone.localtime(circular.closes_at).strftime("%d.%m.%Y %H:%M")}
        )
    if answer not in dict(circular.answer_options()):
        raise CircularError(_("Please choose one of the given answers."), field="answer")
    comment = (comment or "").strip()[:2000] if circular.allow_comment else ""
    with transaction.atomic():
        locked = CircularRecipient.objects.select_for_update().get(pk=recipient.pk)
        locked.answer = answer
        locked.comment = comment
        locked.answered_at = now
        locked.save(update_fields=["answer", "comment", "answered_at"])
    recipient.answer, recipient.comment, recipient.answered_at = answer, comment, now
    return recipient


def answer_counts(*, circular) -> list[dict]:
    """Per fixed answer: label and count, plus the recipients who have not answered."""
    from django.db.models import Count

    counts = dict(
        circular.recipients.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n")
    )
    rows = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in circular.answer_options()
    ]
    rows.append({"value": "", "label": _("no answer yet"), "count": counts.get("", 0)})
    return rows


def set_mail_preference(*, contact, by: User, only_essential: bool):
    """A member chooses whether they receive notifications or only essential mail."""
    if contact.user_id != by.pk:
        raise MembershipError(_("You can only edit your own profile."))
    contact.only_essential_mail = bool(only_essential)
    contact.save(update_fields=["only_essential_mail", "updated_at"])
    return contact
