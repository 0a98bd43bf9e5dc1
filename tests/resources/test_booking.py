"""No double booking: half-open intervals [start, end); touching ends are allowed."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.resources import services
from dangjian.resources.models import Booking
from tests.resources.conftest import at


def book(by, resource, org, start, end, purpose="支部党员大会"):
    return services.booking_create(by=by, resource=resource, org=org, starts_at=start, ends_at=end, purpose=purpose)


def test_overlap_boundaries(tree, officer, venue):
    org = tree["branch_a"]
    book(officer, venue, org, at(0, 9), at(0, 11))
    for start, end in [(at(0, 10), at(0, 12)), (at(0, 8), at(0, 9, 1)), (at(0, 10, 59), at(0, 13)),
                       (at(0, 9), at(0, 11)), (at(0, 8), at(0, 12)), (at(0, 9, 30), at(0, 10))]:
        with pytest.raises(ValidationError) as err:
            book(officer, venue, org, start, end)
        assert "重叠" in str(err.value.message_dict["starts_at"])
    book(officer, venue, org, at(0, 11), at(0, 12))  # end == next start
    book(officer, venue, org, at(0, 8), at(0, 9))  # start == previous end
    assert Booking.objects.filter(resource=venue, cancelled=False).count() == 3


def test_other_resource_and_cancelled_booking_do_not_block(tree, officer, venue, own_venue_a):
    org = tree["branch_a"]
    first = book(officer, venue, org, at(1, 9), at(1, 11))
    book(officer, own_venue_a, org, at(1, 9), at(1, 11))
    services.booking_cancel(by=officer, booking=first)
    book(officer, venue, org, at(1, 10), at(1, 12))


def test_bad_input(tree, officer, venue, secretary_b):
    with pytest.raises(ValidationError) as err:
        book(officer, venue, tree["branch_a"], at(2, 11), at(2, 11))
    assert "ends_at" in err.value.message_dict
    with pytest.raises(ValidationError):
        book(officer, venue, tree["branch_a"], at(2, 11), at(2, 12), purpose="  ")
    with pytest.raises(Http404):  # another branch's org does not exist for them
        book(secretary_b, venue, tree["branch_a"], at(2, 11), at(2, 12))
    assert not Booking.objects.exists()


def test_booking_is_audited(tree, officer, venue):
    booking = book(officer, venue, tree["branch_a"], at(3, 9), at(3, 10))
    assert AuditEntry.objects.filter(target_type="resources.Booking", target_id=str(booking.pk), action="create").exists()


def test_overlap_form_error_inline(as_secretary_a, tree, officer, venue):
    book(officer, venue, tree["branch_b"], at(4, 9), at(4, 11))
    response = as_secretary_a.post(f"/resources/{venue.pk}/", {
        "org": tree["branch_a"].pk, "starts_at": at(4, 10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(4, 12).strftime("%Y-%m-%dT%H:%M"), "purpose": "主题党日",
    })
    assert response.status_code == 200
    assert "重叠" in response.content.decode()
    assert Booking.objects.count() == 1
    ok = as_secretary_a.post(f"/resources/{venue.pk}/", {
        "org": tree["branch_a"].pk, "starts_at": at(4, 11).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(4, 12).strftime("%Y-%m-%dT%H:%M"), "purpose": "主题党日",
    })
    assert ok.status_code == 302
    assert Booking.objects.count() == 2


def test_api_booking_overlap_is_400(as_secretary_a, tree, officer, venue):
    book(officer, venue, tree["branch_b"], at(5, 9), at(5, 11))
    body = {"resource_id": venue.pk, "org_id": tree["branch_a"].pk, "starts_at": at(5, 10).isoformat(),
            "ends_at": at(5, 12).isoformat(), "purpose": "党课"}
    response = as_secretary_a.post("/api/resources/bookings", body, content_type="application/json")
    assert response.status_code == 400, response.content
    body["starts_at"] = at(5, 11).isoformat()
    assert as_secretary_a.post("/api/resources/bookings", body, content_type="application/json").status_code == 201
