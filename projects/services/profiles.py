"""Saving project profiles, the review for the public, and the yearly update reminder.

Each function runs in one transaction and records a :class:`ProjectEvent`; moderation steps
of a coordinator also go to the audit trail, and mail goes through the outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikone import audit, moderation
from ikone.audit import AuditAction
from ikone.errors import DomainError
from ikone.markup import render_markdown
from ikone.outbox.services import Message, queue_emails
from ikone.text import german_slugify, unique_slug
from ikone.uploads import validate_pdf
from members.models import Contact, Municipality, Topic
from members.permissions import contact_of, is_coordinator

from .. import permissions, selectors
from ..images import process_cover
from ..models import (
    BudgetBand,
    FieldOfAction,
    Funding,
    ProjectDocument,
    ProjectEvent,
    ProjectProfile,
    Stage,
    Visibility,
)

MAX_DOCUMENTS = 10
RESERVED_SLUGS = {"neu", "nachnutzung", "wen-fragen", "publiccode"}
MAX_LINKS = 20


class ProjectError(DomainError):
    """A rule of the project catalogue was broken."""


@dataclass
class ProjectData:
    """What a profile says; checked by :func:`save_project`."""

    title: str
    summary: str
    topics: Sequence[Topic]
    field_of_action: str
    stage: str
    description: str = ""
    stage_reason: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    budget_band: str = ""
    funding: Sequence[str] = ()
    partner_municipalities: Sequence[Municipality] = ()
    outside_partners: str = ""
    contacts: Sequence[Contact] = ()
    links: str = ""
    lessons_learned: str = ""
    obstacles: str = ""
    visibility: str = Visibility.MEMBERS
    cover_alt: str = ""
    is_software: bool = False
    repository_url: str = ""
    software_license: str = ""
    software_version: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class NewDocument:
    title: str
    upload: object


WORKFLOW = moderation.Workflow(
    error=ProjectError,
    event=ProjectEvent,
    refusals={
        (moderation.SUBMIT, moderation.SUBMITTED): gettext_lazy(
            "This profile has already been submitted."
        ),
        (moderation.SUBMIT, moderation.PUBLISHED): gettext_lazy("This profile is already public."),
        moderation.SUBMIT: gettext_lazy("You cannot submit this profile."),
        (moderation.PUBLISH, moderation.PUBLISHED): gettext_lazy("This profile is already public."),
        (moderation.PUBLISH, moderation.ARCHIVED): gettext_lazy(
            "A withdrawn profile cannot be published."
        ),
        moderation.REQUEST_CHANGES: gettext_lazy("Only submitted profiles can be sent back."),
        moderation.WITHDRAW: gettext_lazy("This profile is already withdrawn."),
    },
)


def clean_links(text: str) -> str:
    """The link lines, each ``title | https://…``; raises for an address that is not http(s)."""
    validate = URLValidator(schemes=["http", "https"])
    lines = []
    for raw in (text or "").splitlines():
        raw = raw.strip()
        if not raw:
            continue
        title, _bar, url = raw.rpartition("|")
        url = url.strip()
        try:
            validate(url)
        except ValidationError:
            raise ProjectError(
                _("“%(line)s” is not a web address (https://…).") % {"line": raw[:100]},
                field="links",
            ) from None
        lines.append(f"{title.strip()} | {url}" if title.strip() else url)
    if len(lines) > MAX_LINKS:
        raise ProjectError(
            _("At most %(count)d links, please.") % {"count": MAX_LINKS}, field="links"
        )
    return "\n".join(lines)


def _check(data: ProjectData, *, municipality: Municipality) -> None:
    if not " ".join((data.title or "").split()):
        raise ProjectError(_("Please enter a title."), field="title")
    if not (data.summary or "").strip():
        raise ProjectError(_("Please write a short summary."), field="summary")
    if not list(data.topics):
        raise ProjectError(_("Please choose at least one topic."), field="topics")
    if data.field_of_action not in FieldOfAction.values:
        raise ProjectError(_("Please choose a field of action."), field="field_of_action")
    if data.stage not in Stage.values:
        raise ProjectError(_("Please choose the stage of the project."), field="stage")
    if data.stage == Stage.STOPPED and not (data.stage_reason or "").strip():
        raise ProjectError(
            _("Please say why the project was stopped: that is what others learn most from."),
            field="stage_reason",
        )
    if (data.budget_band or "") not in BudgetBand.values:
        raise ProjectError(_("Please choose one of the budget bands."), field="budget_band")
    unknown = set(data.funding) - set(Funding.values)
    if unknown:
        raise ProjectError(_("Please choose the funding from the list."), field="funding")
    if data.start and data.end and data.end < data.start:
        raise ProjectError(_("The end lies before the start."), field="end")
    if data.visibility not in Visibility.values:
        raise ProjectError(_("Please choose who may see the profile."), field="visibility")
    partners = list(data.partner_municipalities)
    if any(partner.pk == municipality.pk for partner in partners):
        raise ProjectError(
            _("Your own municipality cannot be its own partner."), field="partner_municipalities"
        )
    if any(not partner.is_member for partner in partners):
        raise ProjectError(
            _("Partner municipalities must be members of the network."),
            field="partner_municipalities",
        )
    allowed = {municipality.pk, *(partner.pk for partner in partners)}
    for contact in data.contacts:
        if contact.municipality_id not in allowed or not contact.is_active:
            raise ProjectError(
                _("Contact persons must work for the municipality or one of its partners."),
                field="contacts",
            )


def save_project(
    *,
    by,
    data: ProjectData,
    project: ProjectProfile | None = None,
    municipality: Municipality | None = None,
    cover=None,
    remove_cover: bool = False,
    new_documents: Iterable[NewDocument] = (),
    remove_documents: Iterable[ProjectDocument] = (),
) -> ProjectProfile:
    """Create or change a profile. Members write for their own municipality only."""
    coordinator = is_coordinator(by)
    contact = contact_of(by)
    if not coordinator and contact is None:
        raise ProjectError(_("Only members of the network may write project profiles."))
    creating = project is None
    if creating:
        owner = municipality if coordinator and municipality is not None else None
        owner = owner or (contact.municipality if contact is not None else None)
        if owner is None:
            raise ProjectError(_("Please choose the municipality."), field="municipality")
        project = ProjectProfile(municipality=owner, created_by=by)
    else:
        project = ProjectProfile.objects.select_related("municipality").get(pk=project.pk)
        if not permissions.can_edit_profile(by, project):
            raise ProjectError(_("You cannot change this profile."))
    _check(data, municipality=project.municipality)
    links = clean_links(data.links)
    keeps_image = bool(project.cover_image) and not remove_cover
    if (cover is not None or keeps_image) and not (data.cover_alt or "").strip():
        raise ProjectError(
            _("Please describe the image in the alternative text."), field="cover_alt"
        )
    new_cover = None
    if cover is not None:
        try:
            new_cover = process_cover(cover)
        except ValidationError as error:
            raise ProjectError(error.messages[0], field="cover_image") from None
    new_documents = [doc for doc in new_documents if doc.upload is not None]
    for document in new_documents:
        try:
            validate_pdf(document.upload)
        except ValidationError as error:
            raise ProjectError(error.messages[0], field="document") from None
        if not (document.title or "").strip():
            raise ProjectError(_("Please give the document a title."), field="document_title")
    removed = [doc.pk for doc in remove_documents]

    with transaction.atomic():
        if not creating:
            locked = ProjectProfile.objects.select_for_update().get(pk=project.pk)
            if not permissions.can_edit_profile(by, locked):
                raise ProjectError(_("You cannot change this profile."))
            project.status = locked.status
        old_status = project.status
        project.title = " ".join(data.title.split())[:200]
        project.summary = data.summary.strip()
        project.description = data.description or ""
        project.description_html = render_markdown(project.description)
        project.field_of_action = data.field_of_action
        project.stage = data.stage
        project.stage_reason = (data.stage_reason or "").strip()
        project.start, project.end = data.start, data.end
        project.budget_band = data.budget_band or ""
        project.funding = sorted(set(data.funding), key=Funding.values.index)
        project.outside_partners = "\n".join(
            line.strip() for line in (data.outside_partners or "").splitlines() if line.strip()
        )
        project.links = links
        project.lessons_learned = (data.lessons_learned or "").strip()
        project.obstacles = (data.obstacles or "").strip()
        project.cover_alt = (data.cover_alt or "").strip()
        project.is_software = data.is_software
        project.repository_url = data.repository_url or ""
        project.software_license = (data.software_license or "").strip()[:100]
        project.software_version = (data.software_version or "").strip()[:50]
        if data.visibility == Visibility.MEMBERS and project.status in (
            ProjectProfile.Status.SUBMITTED,
            ProjectProfile.Status.PUBLISHED,
        ):
            project.status = ProjectProfile.Status.DRAFT  # no longer for the public
        project.visibility = data.visibility
        if project.published_at is None:  # the slug is stable once a profile went public
            title = project.title
            if german_slugify(title) in RESERVED_SLUGS:  # paths of the catalogue itself
                title = f"{title} Projekt"
            project.slug = unique_slug(
                ProjectProfile.objects.all(), title, max_length=150, exclude=project
            )
        old_cover = project.cover_image.name if project.cover_image else ""
        if new_cover is not None:
            project.cover_image.save(new_cover.name, new_cover, save=False)
        elif remove_cover and project.cover_image:
            project.cover_image = ""
        project.updated_at = timezone.now()
        project.save()
        project.topics.set(data.topics)
        project.partner_municipalities.set(data.partner_municipalities)
        project.contacts.set(data.contacts)
        if removed:
            for document in project.documents.filter(pk__in=removed):
                name, storage = document.file.name, document.file.storage
                document.delete()
                transaction.on_commit(lambda n=name, s=storage: s.delete(n))
        if project.documents.count() + len(new_documents) > MAX_DOCUMENTS:
            raise ProjectError(
                _("At most %(count)d documents per profile.") % {"count": MAX_DOCUMENTS},
                field="document",
            )
        for document in new_documents:
            stored = ProjectDocument(project=project, title=document.title.strip()[:150])
            stored.file.save(document.upload.name, document.upload, save=False)
            stored.save()
        if old_cover and (new_cover is not None or remove_cover):
            storage = project.cover_image.storage
            transaction.on_commit(lambda: storage.delete(old_cover))
        ProjectEvent.record(
            project,
            action=ProjectEvent.Action.CREATED if creating else ProjectEvent.Action.UPDATED,
            by=by,
            old_status="" if creating else old_status,
        )
    return project


def _coordinator_messages(project: ProjectProfile, template: str) -> list[Message]:
    return moderation.coordinator_messages(
        template=f"projects/{template}",
        context={"project": project},
        reference=f"projects.project:{project.pk}",
    )


def owner_recipients(project: ProjectProfile) -> list[Contact]:
    """Who answers for a profile: its contact persons with a login, else the municipality's
    primary contacts."""
    contacts = list(project.contacts.active().exclude(user=None).select_related("user"))
    if not contacts:
        contacts = list(
            Contact.objects.active().filter(municipality=project.municipality, is_primary=True)
        )
    return contacts


def _owner_messages(project: ProjectProfile, template: str, **context) -> list[Message]:
    return [
        Message(
            to=contact.email,
            template=f"projects/{template}",
            context={"project": project, "recipient": contact, **context},
            language=contact.language,
            reference=f"projects.project:{project.pk}",
        )
        for contact in owner_recipients(project)
    ]


def submit_project(*, project: ProjectProfile, by) -> ProjectProfile:
    """Ask the coordination team to publish a profile for the public."""
    with transaction.atomic():
        project = ProjectProfile.objects.select_for_update().get(pk=project.pk)
        if not permissions.can_edit_profile(by, project):
            raise ProjectError(_("You cannot submit this profile."))
        if project.visibility != Visibility.PUBLIC:
            raise ProjectError(
                _("Only profiles meant for the public are reviewed. Members see yours already.")
            )
        WORKFLOW.take(moderation.SUBMIT, project, by=by)
        queue_emails(_coordinator_messages(project, "submitted"))
    return project


def publish_project(*, project: ProjectProfile, by) -> ProjectProfile:
    """Make a reviewed profile public."""
    if not is_coordinator(by):
        raise ProjectError(_("Only the coordination team can publish profiles."))
    with transaction.atomic():
        project = ProjectProfile.objects.select_for_update().get(pk=project.pk)
        WORKFLOW.check(moderation.PUBLISH, project.status)
        if project.visibility != Visibility.PUBLIC:
            raise ProjectError(_("The municipality wants this profile for members only."))
        project.published_at = project.published_at or timezone.now()
        WORKFLOW.take(moderation.PUBLISH, project, by=by, fields=["published_at"])
        audit.record(action=AuditAction.PROJECT_PUBLISHED, obj=project, by=by)
        queue_emails(_owner_messages(project, "published"))
    return project


def return_project(*, project: ProjectProfile, by, comment: str) -> ProjectProfile:
    """Send a submitted profile back with what to change."""
    if not is_coordinator(by):
        raise ProjectError(_("Only the coordination team can review profiles."))
    comment = (comment or "").strip()
    if not comment:
        raise ProjectError(_("Please tell the municipality what to change."), field="comment")
    with transaction.atomic():
        project = ProjectProfile.objects.select_for_update().get(pk=project.pk)
        WORKFLOW.take(moderation.REQUEST_CHANGES, project, by=by, comment=comment)
        audit.record(
            action=AuditAction.PROJECT_RETURNED, obj=project, by=by, data={"comment": comment}
        )
        queue_emails(_owner_messages(project, "changes_requested", comment=comment))
    return project


def archive_project(*, project: ProjectProfile, by, comment: str = "") -> ProjectProfile:
    """Withdraw a profile from the catalogue (kept for the record)."""
    with transaction.atomic():
        project = ProjectProfile.objects.select_for_update().get(pk=project.pk)
        if not permissions.can_edit_profile(by, project):
            raise ProjectError(_("You cannot withdraw this profile."))
        WORKFLOW.take(moderation.WITHDRAW, project, by=by, comment=comment)
        audit.record(
            action=AuditAction.PROJECT_WITHDRAWN, obj=project, by=by, data={"comment": comment}
        )
    return project


def send_update_reminders(*, now=None) -> int:
    """Remind the owners of every stale profile once a year to bring it up to date."""
    now = now or timezone.now()
    reminded = 0
    for pk in list(selectors.due_for_reminder(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            project = (
                selectors.due_for_reminder(now=now)
                .select_for_update(of=("self",))
                .filter(pk=pk)
                .select_related("municipality")
                .first()
            )
            if project is None:
                continue
            project.last_reminded_at = now
            project.save(update_fields=["last_reminded_at"])
            ProjectEvent.record(
                project, action=ProjectEvent.Action.REMINDED, by=None, old_status=project.status
            )
            queue_emails(_owner_messages(project, "update_reminder"))
            reminded += 1
    return reminded
