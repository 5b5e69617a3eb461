"""Staff mark attendance for a whole session at once; those who came get a training record."""

import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from people import training as services
from people.models.training import TrainingBooking, TrainingRecord
from tests.conftest import assert_flat_queries
from tests.factories import UserFactory
from tests.people.factories_profiles import AccessNeedsFactory
from tests.people.factories_training import CourseFactory, TrainingBookingFactory, TrainingSessionFactory, at

pytestmark = pytest.mark.django_db
Status = TrainingBooking.Status


@pytest.fixture
def session(staff, member, other_member):
    """A session `staff` runs, which started two hours ago; `member` and `other_member` have places."""
    session = TrainingSessionFactory(
        organiser=staff, starts_at=at(0, hour=0), course=CourseFactory(title="Telling your story", valid_for_months=24)
    )
    for person in (member, other_member):
        TrainingBookingFactory(session=session, person=person)
    return session


def attendance_url(session):
    return reverse("people:training_session_attendance", args=[session.public_id])


def booking_of(session, person):
    return TrainingBooking.objects.get(session=session, person=person)


def test_the_organiser_marks_everyone_at_once_and_those_who_came_get_a_record(
    client_for, staff, member, other_member, session
):
    client = client_for(staff)
    response = client.post(attendance_url(session), {"attended": [str(booking_of(session, member).public_id)]})
    assert response.status_code == 302
    assert booking_of(session, member).status == Status.ATTENDED
    assert booking_of(session, other_member).status == Status.DID_NOT_ATTEND
    record = TrainingRecord.objects.get()
    assert record.person == member and record.session == session and record.recorded_by == staff
    assert record.completed_on == session.day
    assert record.expires_on == session.course.expiry_for(session.day)
    assert record.evidence == TrainingRecord.Evidence.ATTENDANCE
    session.refresh_from_db()
    assert session.attendance_marked_by == staff and session.attendance_marked_at is not None
    entry = AuditEntry.objects.get(action="training.attendance_marked")
    assert entry.detail == "attended=1 absent=1 records_added=1 records_removed=0"
    page = client.get(attendance_url(session)).content.decode()
    assert "Attendance was marked" in page and "1 of 2 people attended" in page


def test_marking_again_corrects_it_without_duplicating_records(client_for, staff, member, other_member, session):
    client = client_for(staff)
    mine, theirs = str(booking_of(session, member).public_id), str(booking_of(session, other_member).public_id)
    client.post(attendance_url(session), {"attended": [mine]})
    client.post(attendance_url(session), {"attended": [mine]})
    assert TrainingRecord.objects.count() == 1
    client.post(attendance_url(session), {"attended": [theirs]})
    assert list(TrainingRecord.objects.values_list("person", flat=True)) == [other_member.pk]
    assert booking_of(session, member).status == Status.DID_NOT_ATTEND


def test_a_record_already_held_for_that_day_is_kept_not_duplicated(staff, member, session):
    TrainingRecord.objects.create(
        person=member,
        course=session.course,
        completed_on=session.day,
        evidence=TrainingRecord.Evidence.IMPORTED,
    )
    result = services.mark_attendance(session=session, attended={booking_of(session, member).public_id}, by=staff)
    assert result.records_added == 0
    assert TrainingRecord.objects.get().evidence == TrainingRecord.Evidence.IMPORTED


def test_attendance_cannot_be_marked_before_the_session_starts(client_for, staff, member):
    future = TrainingSessionFactory(organiser=staff, starts_at=at(3))
    booking = TrainingBookingFactory(session=future, person=member)
    client = client_for(staff)
    page = client.get(attendance_url(future)).content.decode()
    assert "You can mark attendance here once the session has started." in page
    response = client.post(attendance_url(future), {"attended": [str(booking.public_id)]}, follow=True)
    assert "You can mark attendance once the session has started." in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_someone_without_a_place_cannot_be_marked(client_for, staff, session):
    stranger = TrainingBookingFactory(session=TrainingSessionFactory(), person=UserFactory())
    response = client_for(staff).post(attendance_url(session), {"attended": [str(stranger.public_id)]})
    assert response.status_code == 200
    assert "Select only people who have a place on this session" in response.content.decode()
    assert not TrainingRecord.objects.exists()
    assert stranger.status == Status.BOOKED


def test_people_on_the_waiting_list_or_who_cancelled_are_not_on_the_register(client_for, staff, session):
    waiting = TrainingBookingFactory(session=session, status=Status.WAITING, person=UserFactory(name="Wendy Waiting"))
    TrainingBookingFactory(session=session, status=Status.CANCELLED, person=UserFactory(name="Carl Cancelled"))
    response = client_for(staff).get(attendance_url(session))
    values = [item["value"] for item in response.context["items"]]
    assert str(waiting.public_id) not in values and len(values) == 2
    html = response.content.decode()
    assert "Waiting list" in html and "Wendy Waiting" in html and "Carl Cancelled" not in html


def test_access_needs_are_flagged_on_the_register(client_for, staff, member, session):
    AccessNeedsFactory(user=member)
    html = client_for(staff).get(attendance_url(session)).content.decode()
    assert "Access needs:" in html


def test_other_staff_cannot_mark_attendance(client_for, other_staff, member, session):
    response = client_for(other_staff).post(
        attendance_url(session), {"attended": [str(booking_of(session, member).public_id)]}
    )
    assert response.status_code == 403
    assert not TrainingRecord.objects.exists()


def test_the_attendance_page_makes_the_same_number_of_queries_for_2_or_40_people(client_for, staff, session):
    def add(n):
        for _ in range(n):
            TrainingBookingFactory(session=session)

    assert_flat_queries(client_for(staff), attendance_url(session), add, few=1, many=40)
