"""Members of one municipality record the same reuse at once (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import connection, connections

from projects.models import Reuse
from projects.services import reuse as reuse_services
from projects.services.profiles import ProjectError
from tests.factories import MemberContactFactory, MunicipalityFactory
from tests.projects.factories import PublicProjectFactory

THREADS = 8


def _race(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = []
    lock = threading.Lock()

    def run(target):
        try:
            barrier.wait(timeout=30)
            outcome = ("ok", target())
        except ProjectError as error:
            outcome = ("refused", str(error))
        except Exception as error:  # anything else (an IntegrityError: a 500) is the bug
            outcome = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.services
def test_the_same_reuse_recorded_at_once_is_stored_once_and_refused_otherwise(
    transactional_db, postgres
):
    assert connection.vendor == "postgresql"
    project = PublicProjectFactory(municipality=MunicipalityFactory(name="Mainz", slug="mainz"))
    worms = MunicipalityFactory(name="Worms", slug="worms")
    people = [MemberContactFactory(municipality=worms) for _ in range(THREADS)]

    outcomes = _race(
        [
            (
                lambda person=person: reuse_services.record_reuse(
                    project=project, by=person.user, stage="interested"
                )
            )
            for person in people
        ]
    )

    kinds = sorted(kind for kind, _detail in outcomes)
    assert kinds == ["ok"] + ["refused"] * (THREADS - 1), outcomes
    assert Reuse.objects.filter(project=project, municipality=worms).count() == 1
