import functools

import factory
from django.utils import timezone

from ikone.markup import render_markdown as _render_markdown
from news.models import Post
from tests.factories import MunicipalityFactory

render_markdown = functools.partial(_render_markdown, images=True)  # as posts are rendered


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    kind = Post.Kind.NEWS
    title = factory.Sequence(lambda n: f"Digitaler Stammtisch Nummer {n}")
    slug = factory.Sequence(lambda n: f"digitaler-stammtisch-nummer-{n}")
    teaser = "Die Mitglieder tauschten sich über Verwaltungsdigitalisierung aus."
    body = "Ein **erster** Absatz.\n\nEin zweiter Absatz."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    municipality = factory.SubFactory(MunicipalityFactory)


class PublishedPostFactory(PostFactory):
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
