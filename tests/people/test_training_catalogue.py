"""The course catalogue and sessions: staff and administrators keep them; people see what is offered to them."""

import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from people.models.training import Course, TrainingSession
from tests.conftest import assert_flat_queries
from tests.people.factories_training import CourseFactory, TrainingSessionFactory, at
from tests.programmes.factories import days_from_today

pytestmark = pytest.mark.django_db


def course_data(**overrides):
    data = {
        "title": "Co-production essentials",
        "code": "COP-ESS",
        "description": "What co-production is, and how to share power with people who use services.",
        "audience": "both",
        "format": "in_person",
        "length": "3 hours",
        "valid_for_months": "24",
        "provider": "Northbrook Integrated Care Board",
        "web_address": "",
        "required_for": "programme_staff",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def session_data(day, **overrides):
    data = {
        "starts_on-day": str(day.day),
        "starts_on-month": str(day.month),
        "starts_on-year": str(day.year),
        "start_time": "10:00",
        "end_time": "1pm",
        "place": "Northbrook Library, Market Street",
        "places": "12",
    }
    data.update(overrides)
    return data


# Courses -------------------------------------------------------------------------------------------
def test_staff_add_a_course_and_it_is_audited(client_for, staff):
    response = client_for(staff).post(reverse("people:training_course_create"), course_data())
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:training_course_detail", args=[course.public_id])
    assert course.required_for == Course.RequiredFor.PROGRAMME_STAFF and course.valid_for_months == 24
    assert AuditEntry.objects.filter(action="training.course_added", subject_id=str(course.public_id)).exists()


def test_a_course_that_never_expires_leaves_the_months_empty(client_for, staff):
    client_for(staff).post(reverse("people:training_course_create"), course_data(valid_for_months=""))
    course = Course.objects.get()
    assert course.valid_for_months is None
    assert course.expiry_for(days_from_today(0)) is None
    assert course.validity_label == "Never expires"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the course title"),
        ({"valid_for_months": "0"}, "valid_for_months", "The number of months must be 1 or more"),
        ({"valid_for_months": "a year"}, "valid_for_months", "whole number"),
        (
            {"audience": "members", "required_for": "programme_staff"},
            "required_for",
            "A course for members only cannot be required for programme staff",
        ),
        ({"audience": "staff", "required_for": "members"}, "required_for", "cannot be required for members"),
        ({"web_address": "not a web address"}, "web_address", "Enter a web address"),
    ],
)
def test_bad_course_details_are_said_next_to_the_field_and_nothing_is_saved(
    client_for, staff, overrides, field, message
):
    response = client_for(staff).post(reverse("people:training_course_create"), course_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Course.objects.exists()


def test_a_course_title_or_code_used_before_is_refused_whatever_the_case(client_for, staff):
    CourseFactory(title="Co-production essentials", code="cop-ess")
    response = client_for(staff).post(reverse("people:training_course_create"), course_data())
    errors = response.context["form"].errors
    assert errors["title"] == ["Another course already has this title"]
    assert errors["code"] == ["Another course already has this code"]
    assert Course.objects.count() == 1


def test_staff_change_a_course(client_for, staff):
    course = CourseFactory(title="Listening well")
    response = client_for(staff).post(
        reverse("people:training_course_edit", args=[course.public_id]),
        course_data(title="Listening well", code=course.code, valid_for_months="36"),
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.valid_for_months == 36
    assert AuditEntry.objects.filter(action="training.course_changed").exists()


def test_expiry_is_the_day_before_the_same_date_after_the_valid_months():
    import datetime

    course = Course(valid_for_months=12)
    assert course.expiry_for(datetime.date(2025, 3, 21)) == datetime.date(2026, 3, 20)
    assert Course(valid_for_months=1).expiry_for(datetime.date(2025, 1, 31)) == datetime.date(2025, 2, 27)


# The catalogue -------------------------------------------------------------------------------------
def test_members_see_only_courses_offered_to_members(client_for, member):
    CourseFactory(title="For everyone", audience=Course.Audience.BOTH)
    CourseFactory(title="For members", audience=Course.Audience.MEMBERS)
    staff_only = CourseFactory(title="Managing budgets", audience=Course.Audience.STAFF)
    CourseFactory(title="Old course", audience=Course.Audience.MEMBERS, is_active=False)
    client = client_for(member)
    html = client.get(reverse("people:training_courses")).content.decode()
    assert "For everyone" in html and "For members" in html
    assert "Managing budgets" not in html and "Old course" not in html
    assert client.get(reverse("people:training_course_detail", args=[staff_only.public_id])).status_code == 404


def test_staff_see_every_course_including_those_not_offered_now(client_for, staff):
    CourseFactory(title="For members", audience=Course.Audience.MEMBERS)
    CourseFactory(title="Old course", is_active=False)
    html = client_for(staff).get(reverse("people:training_courses")).content.decode()
    assert "For members" in html and "Old course" in html and "Not offered now" in html


def test_the_catalogue_makes_the_same_number_of_queries_for_1_or_40_courses(client_for, member):
    def add(n):
        for _ in range(n):
            TrainingSessionFactory(course=CourseFactory())

    assert_flat_queries(client_for(member), reverse("people:training_courses"), add, many=40)


def test_a_course_page_shows_places_left_and_the_members_own_booking(client_for, member):
    from people.models.training import TrainingBooking

    session = TrainingSessionFactory(places=2)
    full = TrainingSessionFactory(course=session.course, places=1, starts_at=at(30))
    TrainingBooking.objects.create(session=full, person=member)
    html = (
        client_for(member)
        .get(reverse("people:training_course_detail", args=[session.course.public_id]))
        .content.decode()
    )
    assert "2 of 2" in html
    assert "Book a place" in html
    assert "Booked" in html


# Sessions ------------------------------------------------------------------------------------------
def test_staff_add_a_session_and_become_its_organiser(client_for, staff):
    course = CourseFactory()
    day = days_from_today(20)
    response = client_for(staff).post(
        reverse("people:training_session_create", args=[course.public_id]), session_data(day, organiser=staff.pk)
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert session.organiser == staff and session.places == 12
    assert session.day == day
    assert (session.ends_at - session.starts_at).seconds == 3 * 3600


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "9am"}, "end_time", "The end time must be after the start time"),
        ({"start_time": "soon"}, "start_time", "Enter the start time as a time like 10:00 or 2:30pm"),
        ({"place": ""}, "place", "Enter the address where the session happens"),
        ({"places": "0"}, "places", "The number of places must be 1 or more"),
        ({"starts_on-month": ""}, "starts_on", "must include a month"),
    ],
)
def test_bad_session_details_are_said_next_to_the_field(client_for, staff, overrides, field, message):
    course = CourseFactory()
    data = session_data(days_from_today(20), organiser=staff.pk, **overrides)
    response = client_for(staff).post(reverse("people:training_session_create", args=[course.public_id]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not TrainingSession.objects.exists()


def test_a_new_session_must_start_in_the_future(client_for, staff):
    course = CourseFactory()
    data = session_data(days_from_today(-1), organiser=staff.pk)
    response = client_for(staff).post(reverse("people:training_session_create", args=[course.public_id]), data)
    assert response.context["form"].errors["starts_on"] == ["The session must start in the future"]


def test_an_online_session_needs_its_joining_link(client_for, staff):
    course = CourseFactory(format=Course.Format.ONLINE)
    data = session_data(days_from_today(20), organiser=staff.pk, place="")
    response = client_for(staff).post(reverse("people:training_session_create", args=[course.public_id]), data)
    assert response.context["form"].errors["joining_link"] == ["Enter the link people use to join"]


def test_places_cannot_drop_below_the_people_already_booked(client_for, staff, member, other_member):
    from people.models.training import TrainingBooking

    session = TrainingSessionFactory(organiser=staff, places=5)
    for person in (member, other_member):
        TrainingBooking.objects.create(session=session, person=person)
    day = session.day
    response = client_for(staff).post(
        reverse("people:training_session_edit", args=[session.public_id]),
        session_data(day, organiser=staff.pk, places="1"),
    )
    assert response.status_code == 200
    assert "2 people are already booked" in " ".join(response.context["form"].errors["places"])
    session.refresh_from_db()
    assert session.places == 5


def test_only_the_organiser_changes_a_session(client_for, staff, other_staff):
    session = TrainingSessionFactory(organiser=staff)
    assert (
        client_for(other_staff).get(reverse("people:training_session_edit", args=[session.public_id])).status_code
        == 403
    )
    assert client_for(staff).get(reverse("people:training_session_edit", args=[session.public_id])).status_code == 200


def test_administrators_keep_courses_sessions_and_records_in_the_django_admin(client_for, administrator):
    from tests.people.factories_training import TrainingBookingFactory, TrainingRecordFactory

    booking = TrainingBookingFactory()
    record = TrainingRecordFactory()
    client = client_for(administrator)
    for url in [
        reverse("admin:people_course_changelist"),
        reverse("admin:people_course_change", args=[booking.session.course.pk]),
        reverse("admin:people_trainingsession_changelist"),
        reverse("admin:people_trainingsession_change", args=[booking.session.pk]),
        reverse("admin:people_trainingrecord_changelist"),
        reverse("admin:people_trainingrecord_change", args=[record.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_changing_a_session_starts_from_its_own_date_times_and_place(client_for, staff):
    session = TrainingSessionFactory(organiser=staff, starts_at=at(30, hour=14), place="Room 4, Riverside Hub")
    form = client_for(staff).get(reverse("people:training_session_edit", args=[session.public_id])).context["form"]
    day = session.day
    assert form["starts_on"].value() == day
    assert str(form["start_time"].value()).startswith("14:00")
    assert form["place"].value() == "Room 4, Riverside Hub"
    assert form["organiser"].value() == staff.pk
