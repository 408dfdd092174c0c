"""The catalogue's part of a municipality's page: its projects and reuse in both directions.

Written in Python with :mod:`ikone.listing` (up to forty short lines; see there why)."""

from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from ikone.listing import link_to
from ikone.municipality_page import Section, add_section
from members.permissions import contact_of

from . import selectors
from .models import ProjectProfile, Reuse

LINE = '<li><a href="{}">{}</a> – {}</li>'
MORE = '<p class="small text-body-secondary">{}</p>'


def _reuse_lines(reuses: list[dict], *, wording: str, name_of: str, link) -> str:
    stages = dict(Reuse.Stage.choices)
    confirmations = dict(Reuse.Confirmation.choices)
    lines = []
    for reuse in reuses:
        state = escape(str(stages.get(reuse["stage"], reuse["stage"])))
        if reuse["confirmation"] != Reuse.Confirmation.CONFIRMED:
            label = confirmations.get(reuse["confirmation"], reuse["confirmation"])
            state += f" ({escape(str(label))})"
        where = escape(gettext(wording) % {"name": reuse[name_of]})
        title = escape(reuse["project__title"])
        lines.append(
            f'<li><a href="{link(reuse["project__slug"])}">{title}</a> {where} – {state}</li>'
        )
    return "".join(lines)


def _more(count: int) -> str:
    if count <= 0:
        return ""
    return MORE.format(
        escape(
            ngettext("… and %(counter)s more", "… and %(counter)s more", count) % {"counter": count}
        )
    )


def section_html(context: dict) -> str:
    """The section: own and partner profiles, a link to all of them, reuse taken and given."""
    link = link_to("projects:detail")
    parts = [
        '<section class="mb-4" aria-labelledby="projects-heading">\n'
        f'  <h2 class="h4 mt-4" id="projects-heading">{escape(gettext("Projects"))}</h2>\n'
    ]
    if context["own"] or context["partner"]:
        stages = dict(ProjectProfile.Stage.choices)
        lines = [
            LINE.format(
                link(project["slug"]),
                escape(project["title"]),
                escape(str(stages.get(project["stage"], project["stage"]))),
            )
            for project in context["own"]
        ]
        lines += [
            LINE.format(
                link(project["slug"]),
                escape(project["title"]),
                escape(gettext("partner of %(name)s") % {"name": project["municipality__name"]}),
            )
            for project in context["partner"]
        ]
        parts.append(f"  <ul>{''.join(lines)}</ul>\n")
        if context["more_projects"]:
            every = context["all_projects"]
            label = ngettext(
                "Show the project (%(counter)s)", "Show all %(counter)s projects", every
            ) % {"counter": every}
            url = f"{reverse('projects:list')}?municipality={quote(context['slug'])}"
            parts.append(f'  <p><a href="{escape(url)}">{escape(label)}</a></p>\n')
    else:
        parts.append(f"  <p>{escape(gettext('No project profiles yet.'))}</p>\n")
    if context["taken"]:
        lines = _reuse_lines(
            context["taken"],
            wording="from %(name)s",
            name_of="project__municipality__name",
            link=link,
        )
        parts.append(
            f'  <h3 class="h5">{escape(gettext("Taken up from others"))}</h3>\n'
            f"  <ul>{lines}</ul>{_more(context['more_taken'])}\n"
        )
    if context["given"]:
        lines = _reuse_lines(
            context["given"], wording="by %(name)s", name_of="municipality__name", link=link
        )
        parts.append(
            f'  <h3 class="h5">{escape(gettext("Taken up by others"))}</h3>\n'
            f"  <ul>{lines}</ul>{_more(context['more_given'])}\n"
        )
    if context["can_write"]:
        parts.append(
            f'  <p><a class="btn btn-outline-primary btn-sm" href="{reverse("projects:create")}">'
            f"{escape(gettext('Describe a project'))}</a></p>\n"
        )
    parts.append("</section>")
    return "".join(parts)


@add_section
def projects_section(request, municipality):
    projects = selectors.projects_of_municipality(user=request.user, municipality=municipality)
    reuses = selectors.reuses_of_municipality(user=request.user, municipality=municipality)
    contact = contact_of(request.user)
    own = contact is not None and contact.municipality_id == municipality.pk
    shown = len(projects["own"]) + len(projects["partner"])
    every = projects["own_count"] + projects["partner_count"]
    context = {
        **projects,
        **reuses,
        "slug": municipality.slug,
        "all_projects": every,
        "more_projects": every > shown,
        "more_taken": reuses["taken_count"] - len(reuses["taken"]),
        "more_given": reuses["given_count"] - len(reuses["given"]),
        "can_write": own,
    }
    return Section(
        template="projects:municipality",
        html=mark_safe(section_html(context)),  # noqa: S308 - every part escaped
        order=20,
    )
