"""Members of one municipality record the same reuse at once (PostgreSQL, real connections)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from projects.models import Reuse
from projects.services import reuse as reuse_services
from projects.services.profiles import ProjectError
from tests.concurrency import race
from tests.factories import MemberContactFactory, MunicipalityFactory
from tests.projects.factories import PublicProjectFactory

THREADS = 8


@pytest.mark.services
def test_the_same_reuse_recorded_at_once_is_stored_once_and_refused_otherwise(
    transactional_db, postgres
):
    assert connection.vendor == "postgresql"
    project = PublicProjectFactory(municipality=MunicipalityFactory(name="Mainz", slug="mainz"))
    worms = MunicipalityFactory(name="Worms", slug="worms")
    people = [MemberContactFactory(municipality=worms) for _ in range(THREADS)]

    outcomes = race(
        [
            (
                lambda person=person: reuse_services.record_reuse(
                    project=project, by=person.user, stage="interested"
                )
            )
            for person in people
        ],
        refused=ProjectError,
    )

    kinds = sorted(kind for kind, _detail in outcomes)
    assert kinds == ["ok"] + ["refused"] * (THREADS - 1), outcomes
    assert Reuse.objects.filter(project=project, municipality=worms).count() == 1


def _wait_for_a_blocked_insert(seconds: float = 10) -> None:
    """Until some connection of this database waits for a row lock (the second insert into
    the unique index, waiting for the first transaction to end)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("no insert waited for the colleague's transaction")


@pytest.mark.services
def test_a_colleagues_record_committed_after_the_check_is_refused_with_the_message(
    transactional_db, postgres
):
    """The colleague's record is not yet committed when the check looks, and committed
    while the insert waits for it: the unique constraint, not the check, refuses."""
    project = PublicProjectFactory(municipality=MunicipalityFactory(name="Mainz", slug="mainz"))
    worms = MunicipalityFactory(name="Worms", slug="worms")
    colleague, person = (MemberContactFactory(municipality=worms) for _ in range(2))
    inserted = threading.Event()
    failures = []

    def colleague_records():
        try:
            with transaction.atomic():
                Reuse.objects.create(
                    project=project, municipality=worms, contact=colleague, stage="interested"
                )
                inserted.set()
                _wait_for_a_blocked_insert()
        except Exception as error:  # shown by the assertion below
            failures.append(repr(error))
        finally:
            inserted.set()
            connections.close_all()

    thread = threading.Thread(target=colleague_records)
    thread.start()
    assert inserted.wait(timeout=10)
    try:
        with pytest.raises(ProjectError, match="already recorded"):
            reuse_services.record_reuse(project=project, by=person.user, stage="interested")
    finally:
        thread.join(timeout=30)
    assert failures == []
    assert Reuse.objects.filter(project=project, municipality=worms).count() == 1
