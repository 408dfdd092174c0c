import factory
from django.utils import timezone

from projects.models import ProjectProfile
from tests.factories import MunicipalityFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectProfile
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Sensornetz Nummer {n}")
    slug = factory.Sequence(lambda n: f"sensornetz-nummer-{n}")
    summary = "Ein Sensornetz misst die Pegel der Bäche."
    field_of_action = ProjectProfile.FieldOfAction.ENVIRONMENT
    stage = ProjectProfile.Stage.OPERATION

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class PublicProjectFactory(ProjectFactory):
    visibility = ProjectProfile.Visibility.PUBLIC
    status = ProjectProfile.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
