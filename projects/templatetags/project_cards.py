"""``{% project_cards projects level=2 members=True %}``: the catalogue's cards (see
:mod:`projects.cards`)."""

from django import template

from projects.cards import project_cards as render_cards

register = template.Library()


@register.simple_tag
def project_cards(projects, level=3, members=False):
    return render_cards(projects, level=level, members=bool(members))
