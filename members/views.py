from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ikone import member_area, municipality_page
from ikone.spreadsheet import csv_response, phone_cell, safe_text_cell

from . import permissions, services, vcard
from .decorators import contact_required, member_required
from .filters import ContactFilter
from .forms import (
    AcceptInvitationForm,
    MembershipApplicationForm,
    MunicipalityTopicsForm,
    ProfileForm,
)
from .models import Contact, Municipality, Topic, User

# --- Public ---------------------------------------------------------------------------------


def municipality_list(request):
    municipalities = (
        Municipality.objects.members()
        .only("name", "slug", "kind", "district", "member_since", "logo", "website")
        .order_by("name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        municipalities = municipalities.filter(name__icontains=query)
    page = Paginator(municipalities, 48).get_page(request.GET.get("page"))
    querystring = urlencode({"q": query}) if query else ""
    return render(
        request,
        "members/municipality_list.html",
        {"page": page, "query": query, "querystring": querystring},
    )


def municipality_detail(request, slug):
    municipality = get_object_or_404(
        Municipality.objects.members().prefetch_related("topics"), slug=slug
    )
    context = {
        "municipality": municipality,
        "can_edit": False,
        "contacts": [],
        "sections": municipality_page.sections(request, municipality),
    }
    if permissions.can_view_directory(request.user):
        context["contacts"] = municipality.contacts.filter(is_active=True)
        context["can_edit"] = permissions.can_edit_municipality(request.user, municipality)
    return render(request, "members/municipality_detail.html", context)


@require_http_methods(["GET", "POST"])
def apply(request):
    form = MembershipApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except services.MembershipError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return redirect("members:apply_done")
    return render(request, "members/apply.html", {"form": form})


def apply_done(request):
    return render(request, "members/apply_done.html")


@require_http_methods(["GET", "POST"])
def accept_invitation(request, uidb64, token):
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if not services.check_invitation(user=user, token=token):
        return render(request, "members/invitation_invalid.html", status=400)
    form = AcceptInvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                user=user, token=token, password=form.cleaned_data["password1"]
            )
        except services.MembershipError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your password has been set."))
            return redirect("members:area")
    return render(request, "members/accept_invitation.html", {"form": form, "invited": user})


# --- Members --------------------------------------------------------------------------------


@member_required
def area(request):
    """The member's start page."""
    contact = permissions.contact_of(request.user)
    context = {
        "contact": contact,
        "todos": member_area.todos_for(contact),
        "cards": member_area.cards(),
    }
    return render(request, "members/area.html", context)


def _directory_queryset(request):
    contacts = (
        Contact.objects.active()
        .select_related("municipality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name")))
        .order_by("last_name", "first_name")
    )
    contact_filter = ContactFilter(request.GET or None, queryset=contacts)
    return contact_filter, contact_filter.qs.distinct()


@member_required
def directory(request):
    contact_filter, contacts = _directory_queryset(request)
    page = Paginator(contacts, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {"filter": contact_filter, "page": page, "querystring": query.urlencode()},
    )


@member_required
def directory_csv(request):
    _filter, contacts = _directory_queryset(request)
    response, writer = csv_response("ikone-kontakte.csv")
    writer.writerow(
        [
            _("Last name"),
            _("First name"),
            _("Municipality"),
            _("District"),
            _("Position"),
            _("E-mail"),
            _("Phone"),
            _("Topics of interest"),
        ]
    )
    for contact in contacts:
        writer.writerow(
            [
                *(
                    safe_text_cell(value)
                    for value in (
                        contact.last_name,
                        contact.first_name,
                        contact.municipality.name,
                        contact.municipality.district,
                        contact.position,
                        contact.email,
                    )
                ),
                phone_cell(contact.phone),
                safe_text_cell(", ".join(topic.name for topic in contact.topics.all())),
            ]
        )
    return response


@member_required
def directory_vcard(request):
    _filter, contacts = _directory_queryset(request)
    response = HttpResponse(
        vcard.directory_vcards(contacts), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="ikone-kontakte.vcf"'
    return response


@contact_required
@require_http_methods(["GET", "POST"])
def profile(request):
    contact = permissions.contact_of(request.user)
    form = ProfileForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(contact=contact, by=request.user, **form.cleaned_data)
        except services.MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form, "contact": contact})


@login_required
@require_http_methods(["GET", "POST"])
def municipality_topics(request, slug):
    municipality = get_object_or_404(Municipality.objects.members(), slug=slug)
    if not permissions.can_edit_municipality(request.user, municipality):
        raise PermissionDenied
    form = MunicipalityTopicsForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        services.set_municipality_topics(
            municipality=municipality, topics=form.cleaned_data["topics"], by=request.user
        )
        messages.success(request, _("The topics of interest have been saved."))
        return redirect(municipality)
    return render(
        request,
        "members/municipality_topics.html",
        {"form": form, "municipality": municipality},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mail_preferences(request):
    """Only essential mail, or notifications too: the link in every non-essential mail."""
    contact = permissions.contact_of(request.user)
    if contact is None:
        raise PermissionDenied
    if request.method == "POST":
        services.set_mail_preference(
            contact=contact,
            by=request.user,
            only_essential=request.POST.get("only_essential") == "1",
        )
        messages.success(request, _("Your e-mail setting has been saved."))
        return redirect("members:mail_preferences")
    return render(request, "members/mail_preferences.html", {"contact": contact})
