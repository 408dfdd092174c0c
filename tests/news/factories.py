import factory
from django.utils import timezone

from news.models import Post
from news.rendering import render_markdown
from tests.factories import MunicipalityFactory


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
