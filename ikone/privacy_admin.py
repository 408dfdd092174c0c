"""Admin action for coordinators: anonymise a contact who left the network."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit
from .privacy import Subject, anonymise_subject


@admin.action(description=_("Anonymise (left the network)"), permissions=["change"])
def anonymise_contacts(modeladmin, request, queryset):
    count = 0
    for contact in queryset.select_related("user", "municipality"):
        subject = Subject.for_contact(contact)
        audit.record(action=audit.AuditAction.CONTACT_ANONYMISED, obj=contact, by=request.user)
        anonymise_subject(subject, by=request.user)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d contact anonymised.", "%(count)d contacts anonymised.", count)
        % {"count": count},
        messages.SUCCESS,
    )
