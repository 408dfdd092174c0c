"""Public news pages and the members' post editor."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ikone.markup import render_markdown
from ikone.pagecache import cache_anonymous_page
from members.decorators import user_passes
from members.permissions import is_coordinator
from projects.permissions import can_view_project

from . import permissions, services
from .filters import PostFilter
from .forms import PostForm, PreviewForm, post_content
from .models import Post, PostEvent

# --- Public ---------------------------------------------------------------------------------


@cache_anonymous_page(params=("page", "q", "municipality", "topic", "kind", "year"))
def post_list(request):
    posts = Post.objects.published().for_listing()
    post_filter = PostFilter(request.GET or None, queryset=posts)
    queryset = post_filter.qs if post_filter.is_bound and post_filter.is_valid() else posts
    page = Paginator(queryset, settings.IKONE_NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "filter": post_filter,
        "form": post_filter.form,
        "page": page,
        "posts": page.object_list,
        "querystring": urlencode(params),
    }
    return render(request, "news/post_list.html", context)


@cache_anonymous_page(params=())
def post_detail(request, slug):
    post = get_object_or_404(
        Post.objects.published()
        .select_related("municipality", "meeting__series", "project")
        .prefetch_related("topics"),
        slug=slug,
    )
    topic_ids = [topic.pk for topic in post.topics.all()]
    related = Post.objects.published().exclude(pk=post.pk).for_listing()
    if topic_ids:
        related = related.filter(topics__in=topic_ids).distinct()
    elif post.municipality_id:
        related = related.filter(municipality_id=post.municipality_id)
    context = {
        "post": post,
        "related": list(related[:3]),
        # the page is cached for visitors: they only see the link to a public profile
        "project": post.project if can_view_project(request.user, post.project) else None,
    }
    return render(request, "news/post_detail.html", context)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /konto/",
        "Disallow: /bereich/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- My area --------------------------------------------------------------------------------


writer_required = user_passes(permissions.can_write_posts)


def _own_post(request, pk) -> Post:
    """A post of the user's municipality (or any for coordinators); others are a 404."""
    return get_object_or_404(
        permissions.posts_of(request.user).select_related("municipality"), pk=pk
    )


@writer_required
def my_posts(request):
    posts = (
        permissions.posts_of(request.user)
        .select_related("municipality")
        .defer("body", "body_html")
        .order_by("-updated_at")
    )
    page = Paginator(posts, 25).get_page(request.GET.get("page"))
    return render(request, "news/my_posts.html", {"page": page, "querystring": ""})


def _save(request, form, post=None):
    try:
        return services.save_post(
            by=request.user,
            post=post,
            **post_content(form.cleaned_data, cover=request.FILES.get("cover_image")),
        )
    except services.PostError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def _editor(request, post=None):
    coordinator = is_coordinator(request.user)
    instance = post or Post()
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        coordinator=coordinator,
        user=request.user,
    )
    preview_html = None
    if request.method == "POST" and "preview" in request.POST:
        form.is_valid()
        preview_html = render_markdown(request.POST.get("body", ""), images=True)
    elif request.method == "POST" and form.is_valid():
        saved = _save(request, form, post)
        if saved is not None:
            if "submit" in request.POST:
                try:
                    services.submit_post(post=saved, by=request.user)
                except services.PostError as error:
                    messages.error(request, error.message)
                    return redirect("news:edit", pk=saved.pk)
                messages.success(request, _("Your post has been submitted for review."))
            else:
                messages.success(request, _("Your draft has been saved."))
            return redirect("news:my_posts")
    context = {
        "form": form,
        "post": post,
        "preview_html": preview_html,
        "review": _open_review(post),
    }
    return render(request, "news/post_form.html", context)


def _open_review(post):
    """The coordinators' request for changes the author still has to work on, if any."""
    if post is None or post.status != Post.Status.CHANGES_REQUESTED:
        return None
    return post.events.filter(action=PostEvent.Action.CHANGES_REQUESTED).exclude(comment="").last()


@writer_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    return _editor(request)


@writer_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _own_post(request, pk)
    if not permissions.can_edit_post(request.user, post):
        messages.info(request, _("This post is under review or public and cannot be changed."))
        return redirect("news:my_preview", pk=post.pk)
    return _editor(request, post)


@writer_required
def post_preview(request, pk):
    """Exactly how the post will look, for its authors and the coordinators."""
    post = _own_post(request, pk)
    return render(
        request,
        "news/post_detail.html",
        {
            "post": post,
            "related": [],
            "is_preview": True,
            "events": post.events.all(),
            "project": post.project if can_view_project(request.user, post.project) else None,
        },
    )


def _workflow_step(request, pk, step, done) -> HttpResponse:
    """Take a member's workflow step (submit, withdraw) on their post, then back to the list."""
    post = _own_post(request, pk)
    try:
        step(post=post, by=request.user)
    except services.PostError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("news:my_posts")


@writer_required
@require_POST
def post_submit(request, pk):
    return _workflow_step(
        request, pk, services.submit_post, _("Your post has been submitted for review.")
    )


@writer_required
@require_POST
def post_archive(request, pk):
    return _workflow_step(request, pk, services.archive_post, _("The post has been withdrawn."))


@writer_required
@require_POST
def markdown_preview(request):
    """Sanitised HTML of a Markdown text, for the editor's live preview."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        raise Http404
    return JsonResponse({"html": render_markdown(form.cleaned_data["body"], images=True)})
