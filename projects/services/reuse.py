"""Reuse (Nachnutzung): recorded by the adopting municipality, confirmed by the source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.outbox.services import Message, queue_emails
from members.models import Contact
from members.permissions import contact_of, is_coordinator

from .. import permissions
from ..models import (
    ProjectProfile,
    Reuse,
)
from .profiles import ProjectError, owner_recipients


def _check_reuse(stage: str, date: dt.date | None) -> None:
    if stage not in Reuse.Stage.values:
        raise ProjectError(_("Please choose how far the reuse has got."), field="stage")
    if date is not None and date > timezone.localdate():
        raise ProjectError(_("The date lies in the future."), field="date")


def record_reuse(
    *,
    project: ProjectProfile,
    by,
    stage: str,
    date: dt.date | None = None,
    effort: str = "",
    lessons: str = "",
) -> Reuse:
    """The member's municipality took up (or looks at) another municipality's project."""
    contact = contact_of(by)
    if contact is None:
        raise ProjectError(_("Only members of the network record reuse."))
    if not permissions.visible_projects(by).filter(pk=project.pk).exists():
        raise ProjectError(_("This project cannot be found."))
    if project.municipality_id == contact.municipality_id:
        raise ProjectError(_("This is your own municipality's project."))
    _check_reuse(stage, date)
    already = ProjectError(
        _("Your municipality has already recorded this project; change that record.")
    )
    recorded = Reuse.objects.filter(project=project, municipality=contact.municipality)
    with transaction.atomic():
        if recorded.exists():
            raise already
        try:
            with transaction.atomic():  # a colleague's record committed since the check
                reuse = Reuse.objects.create(
                    project=project,
                    municipality=contact.municipality,
                    contact=contact,
                    stage=stage,
                    date=date or timezone.localdate(),
                    effort=(effort or "").strip()[:200],
                    lessons=(lessons or "").strip(),
                )
        except IntegrityError:
            if not recorded.exists():  # another constraint: not ours to explain
                raise
            raise already from None
        queue_emails(_reuse_messages(reuse, owner_recipients(project), "reuse_recorded"))
    return reuse


def update_reuse(
    *, reuse: Reuse, by, stage: str, date: dt.date | None = None, effort: str = "", lessons=""
) -> Reuse:
    """The adopting municipality changes how far it has got."""
    contact = contact_of(by)
    if contact is None or contact.municipality_id != reuse.municipality_id:
        raise ProjectError(_("Only the municipality that took the project up changes this."))
    _check_reuse(stage, date)
    with transaction.atomic():
        reuse = Reuse.objects.select_for_update().get(pk=reuse.pk)
        reuse.stage = stage
        reuse.date = date or reuse.date
        reuse.effort = (effort or "").strip()[:200]
        reuse.lessons = (lessons or "").strip()
        reuse.save(update_fields=["stage", "date", "effort", "lessons", "updated_at"])
    return reuse


def can_confirm_reuse(user, reuse: Reuse) -> bool:
    if is_coordinator(user):
        return True
    contact = contact_of(user)
    return contact is not None and contact.municipality_id == reuse.project.municipality_id


def _decide_reuse(*, reuse: Reuse, by, confirmed: bool) -> Reuse:
    if not can_confirm_reuse(by, reuse):
        raise ProjectError(_("Only the municipality whose project it is confirms reuse."))
    with transaction.atomic():
        reuse = Reuse.objects.select_for_update().select_related("project").get(pk=reuse.pk)
        if reuse.confirmation != Reuse.Confirmation.PENDING:
            raise ProjectError(_("This reuse has already been answered."))
        reuse.confirmation = (
            Reuse.Confirmation.CONFIRMED if confirmed else Reuse.Confirmation.DECLINED
        )
        reuse.confirmed_by = by
        reuse.confirmed_at = timezone.now()
        reuse.save(update_fields=["confirmation", "confirmed_by", "confirmed_at", "updated_at"])
        audit.record(
            action=AuditAction.REUSE_DECIDED,
            obj=reuse,
            by=by,
            data={"confirmation": reuse.confirmation},
        )
        recipients = [reuse.contact] if reuse.contact and reuse.contact.is_active else []
        queue_emails(_reuse_messages(reuse, recipients, "reuse_answered"))
    return reuse


def confirm_reuse(*, reuse: Reuse, by) -> Reuse:
    """The source municipality confirms that the other took its project up."""
    return _decide_reuse(reuse=reuse, by=by, confirmed=True)


def decline_reuse(*, reuse: Reuse, by) -> Reuse:
    """The source municipality does not recognise the record; it stays off public pages."""
    return _decide_reuse(reuse=reuse, by=by, confirmed=False)


def _reuse_messages(reuse: Reuse, contacts: Iterable[Contact], template: str) -> list[Message]:
    return [
        Message(
            to=contact.email,
            template=f"projects/{template}",
            context={"reuse": reuse, "project": reuse.project, "recipient": contact},
            language=contact.language,
            reference=f"projects.reuse:{reuse.pk}",
        )
        for contact in contacts
    ]
