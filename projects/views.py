"""The catalogue's pages: list and profile for everyone (members see more), the editor."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ikone.storage import private_file_response
from members.models import Topic
from members.permissions import contact_of, is_coordinator

from . import pages, permissions, publiccode, selectors
from .forms import (
    AskConsentForm,
    AskForm,
    ProjectFilterForm,
    ProjectForm,
    PublicCodeForm,
    ReuseForm,
)
from .models import AskConsent, ProjectEvent, ProjectProfile, Reuse
from .services import asking as asking_services
from .services import profiles as profile_services
from .services import reuse as reuse_services


def writer_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.can_write_profiles(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    projects = selectors.project_list(
        user=request.user,
        topic=filters.get("topic"),
        stage=filters.get("stage", ""),
        municipality=filters.get("municipality"),
        q=filters.get("q", ""),
    )
    page = Paginator(projects, settings.IKONE_PROJECTS_PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v and "\x00" not in v}
    context = {
        "form": form,
        "page": page,
        "projects": page.object_list,
        "querystring": urlencode(params),
        "can_write": permissions.can_write_profiles(request.user),
    }
    return render(request, "projects/project_list.html", context)


def _visible(request, slug) -> ProjectProfile:
    return get_object_or_404(
        permissions.visible_projects(request.user).select_related("municipality"), slug=slug
    )


def project_detail(request, slug):
    return _render_detail(request, _visible(request, slug))


def _render_detail(request, project, *, reuse_form=None, status=200):
    members = permissions.can_read_catalogue(request.user)
    contact = contact_of(request.user)
    reuses = selectors.reuses_of_project(user=request.user, project=project)
    own_reuse = next(
        (r for r in reuses if contact is not None and r.municipality_id == contact.municipality_id),
        None,
    )
    may_record = contact is not None and contact.municipality_id != project.municipality_id
    if reuse_form is None and may_record:
        reuse_form = ReuseForm(instance=own_reuse, prefix="reuse")
    context = {
        "reuses": reuses,
        "confirmed_reuses": [r for r in reuses if r.is_confirmed],
        "own_reuse": own_reuse,
        "reuse_form": reuse_form if may_record else None,
        "can_confirm": bool(reuses) and reuse_services.can_confirm_reuse(request.user, reuses[0]),
        "project": project,
        "members": members,
        "can_edit": permissions.can_edit_profile(request.user, project),
        "topics": list(project.topics.all()),
        "partners": list(project.partner_municipalities.all()),
        "contacts": list(project.contacts.active()) if members else [],
        "documents": list(project.documents.all()) if members else [],
        "review": _open_review(project) if members else None,
        "sections": pages.project_sections(request, project),
    }
    return render(request, "projects/project_detail.html", context, status=status)


def _open_review(project):
    if project.status != ProjectProfile.Status.CHANGES_REQUESTED:
        return None
    return (
        project.events.filter(action=ProjectEvent.Action.CHANGES_REQUESTED)
        .exclude(comment="")
        .last()
    )


def project_document(request, slug, pk):
    """A PDF of a profile: members and coordinators only (the file is private)."""
    if not permissions.can_read_catalogue(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        raise PermissionDenied
    project = _visible(request, slug)
    document = get_object_or_404(project.documents, pk=pk)
    return private_file_response(document.file, filename=document.filename)


def redirect_to_login(request):
    from django.contrib.auth.views import redirect_to_login as to_login

    return to_login(request.get_full_path())


def _add_error(form, error) -> None:
    """The service's message at its field, or above the form when the field shows nothing
    (a choice without choices, e.g. no active topics)."""
    field = form.fields.get(error.field) if error.field else None
    queryset = getattr(field, "queryset", None)
    if field is None or (queryset is not None and not queryset.exists()):
        form.add_error(None, error.message)
    else:
        form.add_error(error.field, error.message)


def _editor(request, project=None):
    coordinator = is_coordinator(request.user)
    contact = contact_of(request.user)
    municipality = project.municipality if project else getattr(contact, "municipality", None)
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        instance=project or ProjectProfile(),
        municipality=municipality,
        coordinator=coordinator,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = profile_services.save_project(
                by=request.user,
                project=project,
                municipality=form.cleaned_data.get("municipality"),
                data=form.project_data(),
                cover=form.cleaned_data.get("cover_image"),
                remove_cover=form.cleaned_data.get("remove_cover", False),
                new_documents=form.new_documents(),
                remove_documents=form.cleaned_data.get("remove_documents") or [],
            )
        except profile_services.ProjectError as error:
            _add_error(form, error)
        else:
            if "submit" in request.POST and saved.visibility == ProjectProfile.Visibility.PUBLIC:
                try:
                    profile_services.submit_project(project=saved, by=request.user)
                except profile_services.ProjectError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(
                        request, _("The profile is saved and waits for the coordination team.")
                    )
                    return redirect(saved.get_absolute_url())
            messages.success(request, _("The profile has been saved."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "review": _open_review(project) if project else None},
    )


@writer_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    return _editor(request)


@writer_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = _visible(request, slug)
    if not permissions.can_edit_profile(request.user, project):
        raise PermissionDenied
    return _editor(request, project)


@writer_required
@require_POST
def project_submit(request, slug):
    project = _visible(request, slug)
    if not permissions.can_edit_profile(request.user, project):
        raise PermissionDenied
    try:
        profile_services.submit_project(project=project, by=request.user)
    except profile_services.ProjectError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The profile waits for the coordination team."))
    return redirect(project.get_absolute_url())


@writer_required
@require_POST
def reuse_record(request, slug):
    """Record (or change) that the member's municipality takes up this project."""
    project = _visible(request, slug)
    contact = contact_of(request.user)
    if contact is None:
        raise PermissionDenied
    own = Reuse.objects.filter(project=project, municipality=contact.municipality).first()
    form = ReuseForm(request.POST, instance=own, prefix="reuse")
    if form.is_valid():
        data = form.cleaned_data
        values = {
            "by": request.user,
            "stage": data["stage"],
            "date": data.get("date"),
            "effort": data.get("effort", ""),
            "lessons": data.get("lessons", ""),
        }
        try:
            if own is None:
                reuse_services.record_reuse(project=project, **values)
            else:
                reuse_services.update_reuse(reuse=own, **values)
        except profile_services.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The reuse has been recorded."))
            return redirect(project.get_absolute_url() + "#reuse")
    return _render_detail(request, project, reuse_form=form, status=400)


def _answer_reuse(request, pk, *, confirm: bool):
    reuse = get_object_or_404(
        Reuse.objects.filter(project__in=permissions.visible_projects(request.user)).select_related(
            "project"
        ),
        pk=pk,
    )
    if not reuse_services.can_confirm_reuse(request.user, reuse):
        raise PermissionDenied
    try:
        if confirm:
            reuse_services.confirm_reuse(reuse=reuse, by=request.user)
        else:
            reuse_services.decline_reuse(reuse=reuse, by=request.user)
    except profile_services.ProjectError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you, the reuse has been answered."))
    return redirect(reuse.project.get_absolute_url() + "#reuse")


@writer_required
@require_POST
def reuse_confirm(request, pk):
    return _answer_reuse(request, pk, confirm=True)


@writer_required
@require_POST
def reuse_decline(request, pk):
    return _answer_reuse(request, pk, confirm=False)


@writer_required
@require_http_methods(["GET", "POST"])
def ask(request):
    """*Wen fragen?*: the form, and (on POST, which counts the suggestions) the ranking."""
    form = AskForm(request.POST or None)
    experts = None
    if request.method == "POST" and form.is_valid():
        try:
            experts = asking_services.suggest_experts(
                by=request.user,
                topic=form.cleaned_data.get("topic"),
                text=form.cleaned_data.get("text", ""),
            )
        except profile_services.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    # Only contact persons choose whether they are suggested (a coordinator without a
    # municipality has nobody to consent for).
    context = {
        "form": form,
        "experts": experts,
        "can_be_asked": contact_of(request.user) is not None,
    }
    return render(request, "projects/ask.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask_consent(request):
    """The member's own choice: on which topics they may be suggested, and how often."""
    contact = contact_of(request.user)
    if contact is None:
        raise PermissionDenied
    consent = AskConsent.objects.filter(contact=contact).first()
    initial = {}
    if consent is not None:
        initial = {"topics": list(consent.topics.all()), "monthly_cap": consent.monthly_cap}
    form = AskConsentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            asking_services.set_ask_consent(
                contact=contact,
                by=request.user,
                topics=form.cleaned_data["topics"],
                monthly_cap=form.cleaned_data.get("monthly_cap"),
            )
        except profile_services.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your choice has been saved."))
            return redirect("projects:ask_consent")
    return render(request, "projects/ask_consent.html", {"form": form})


@writer_required
@require_http_methods(["GET", "POST"])
def publiccode_import(request):
    """Fill a new profile from a publiccode.yml; the member checks the form and saves it."""
    form = PublicCodeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.raw()
        if not raw:
            form.add_error(None, _("Please upload a publiccode.yml or paste its content."))
        else:
            try:
                fields = publiccode.parse(raw)
            except profile_services.ProjectError as error:
                form.add_error(
                    "text" if not form.cleaned_data.get("file") else "file", error.message
                )
            else:
                contact = contact_of(request.user)
                project_form = ProjectForm(
                    initial=fields,
                    municipality=getattr(contact, "municipality", None),
                    coordinator=is_coordinator(request.user),
                )
                messages.info(
                    request,
                    _("The fields are filled from the publiccode.yml. Add the topics and save."),
                )
                return render(
                    request,
                    "projects/project_form.html",
                    {"form": project_form, "project": None, "form_action": "projects:create"},
                )
    return render(request, "projects/publiccode_import.html", {"form": form})


def publiccode_export(request, slug):
    """The publiccode.yml of a public software profile (404 for anything else)."""
    project = get_object_or_404(
        ProjectProfile.objects.public().filter(is_software=True).select_related("municipality"),
        slug=slug,
    )
    base_url = f"{request.scheme}://{request.get_host()}"
    response = HttpResponse(
        publiccode.export(project, base_url=base_url), content_type="text/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="publiccode.yml"'
    return response


def topic_index(request):
    """All topics of the network, each with the number of profiles the viewer may open."""
    topics = selectors.topics_with_counts(user=request.user)
    return render(request, "projects/topic_index.html", {"topics": topics})


def topic_page(request, slug):
    """A topic of the network: its projects, the talks and posts on it (contributed by
    meetings and news), and for members whom to ask about it."""
    topic = get_object_or_404(Topic.objects.filter(is_active=True), slug=slug)
    projects = selectors.project_list(user=request.user, topic=topic)
    page = Paginator(projects, settings.IKONE_PROJECTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "topic": topic,
        "page": page,
        "projects": page.object_list,
        "querystring": "",
        "members": permissions.can_read_catalogue(request.user),
        "sections": pages.topic_sections(request, topic),
    }
    return render(request, "projects/topic.html", context)
