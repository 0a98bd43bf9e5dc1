"""Two bookings of the same slot at the same moment: exactly one wins (row lock on PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dangjian.resources import services
from dangjian.resources.models import Booking
from tests.resources.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads on SQLite's in-memory test database share nothing")
def test_concurrent_bookings_of_one_slot(tree, officer, venue):
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def attempt(i):
        try:
            barrier.wait()
            services.booking_create(by=officer, resource=venue, org=tree["branch_a"], starts_at=at(6, 9, i),
                                    ends_at=at(6, 11), purpose=f"并发{i}")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Booking.objects.filter(resource=venue).count() == 1
