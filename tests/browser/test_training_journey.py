"""Given/when/then journey for step 6, train and develop staff and people, with axe on every page."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from people import training as services
from people.models.training import Course, TrainingRecord, TrainingSession
from programmes.models import TeamMembership
from tests.people.factories_training import (
    CourseFactory,
    TrainingRecordFactory,
    TrainingSessionFactory,
    at,
    programme_led_by,
)
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(staff, other_staff, member):
    """Better Breathing: `staff` leads it, `other_staff` is on the team, `member` takes part."""
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    TeamMembership.objects.create(programme=programme, user=other_staff)
    ParticipantFactory(project=ProjectFactory(programme=programme, lead=staff), member=member)
    return programme


@pytest.fixture
def essentials():
    return CourseFactory(
        title="Co-production essentials",
        code="COP-ESS",
        audience=Course.Audience.BOTH,
        required_for=Course.RequiredFor.PROGRAMME_STAFF,
        valid_for_months=24,
    )


def test_a_member_books_staff_mark_attendance_the_record_shows_and_coverage_rises(
    portal, member, staff, other_staff, programme, essentials
):
    session = TrainingSessionFactory(course=essentials, organiser=staff, starts_at=at(7), places=8)
    TrainingRecordFactory(person=staff, course=essentials)  # the lead did it last month
    # Given a member signed in, who sees training for members on their dashboard
    portal.sign_in(member)
    portal.visit("/dashboard/")
    assert "Training for you" in portal.page.content()
    # When they find the course and book a place
    portal.click("Co-production essentials", role="link")
    assert portal.heading() == "Co-production essentials"
    portal.click("Book a place", role="link")
    assert portal.heading() == "Book a place"
    portal.click("Book my place")
    # Then it is on their training page as booked
    assert portal.heading() == "My training"
    assert "Your place is booked" in portal.page.content()
    assert session.bookings.get().person == member
    portal.sign_out()

    # Given a member of the programme team has booked too, and the session has now started
    services.book_place(session=session, person=other_staff)
    started = timezone.now() - datetime.timedelta(hours=1)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=3)
    )
    # And the programme lead sees half the team with their required training up to date
    portal.sign_in(staff)
    portal.visit(f"/programmes/{programme.public_id}/training/")
    assert portal.page.locator("#coverage-figure").inner_text() == "1 of 2 (50%)"
    # When the organiser marks attendance for the whole session at once
    portal.visit("/training/manage/")
    portal.click("Co-production essentials on", role="link")
    assert portal.heading() == "Attendance"
    portal.page.get_by_label(member.name, exact=True).check()
    portal.page.get_by_label(other_staff.name, exact=True).check()
    portal.click("Save attendance")
    # Then both have a training record, and the programme's coverage figure rises
    assert "2 of 2 people attended" in portal.page.content()
    assert TrainingRecord.objects.filter(session_id=session.pk).count() == 2
    portal.visit(f"/programmes/{programme.public_id}/training/")
    assert portal.page.locator("#coverage-figure").inner_text() == "2 of 2 (100%)"
    portal.sign_out()

    # When the member looks at their training
    portal.sign_in(member)
    portal.visit("/training/")
    # Then they see the course as completed, with its expiry date
    record = TrainingRecord.objects.get(person=member)
    completed = portal.page.locator("#completed ~ table").first.inner_text()
    assert "Co-production essentials" in completed
    assert date_format(record.completed_on, "j F Y") in completed
    assert date_format(record.expires_on, "j F Y") in completed and "Current" in completed


def test_every_other_training_page_passes_axe_including_its_error_messages(
    portal, staff, member, other_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    programme_led_by(staff, member=member)
    course = CourseFactory(title="Co-production essentials", required_for=Course.RequiredFor.PROGRAMME_STAFF)
    full = TrainingSessionFactory(course=course, organiser=staff, places=1, starts_at=at(5))
    services.book_place(session=full, person=other_member)
    TrainingRecordFactory(person=member, course=CourseFactory(title="Listening well"))
    booking = services.book_place(session=TrainingSessionFactory(course=CourseFactory()), person=member)
    # A member: the catalogue, a full session, cancelling, adding a record (with its errors), the waiting list
    portal.sign_in(member)
    for path in [
        "/training/courses/",
        f"/training/bookings/{booking.public_id}/cancel/",
        "/training/records/add/",
    ]:
        portal.visit(path)
    portal.click("Save the record")
    assert "Choose the course you completed" in portal.page.content()
    portal.visit(f"/training/sessions/{full.public_id}/book/")
    assert portal.heading() == "This session is full"
    portal.click("Join the waiting list")
    assert "You are on the waiting list" in portal.page.content()
    portal.sign_out()
    # Staff: managing courses and sessions (with their errors), a person's training, importing
    portal.sign_in(staff)
    for path in [
        f"/training/courses/{course.public_id}/",
        f"/training/sessions/{full.public_id}/edit/",
        f"/training/sessions/{full.public_id}/attendance/",
        f"/training/people/{member.public_id}/",
    ]:
        portal.visit(path)
    portal.visit("/training/courses/create/")
    portal.click("Save the course")
    assert "Enter the course title" in portal.page.content()
    portal.visit(f"/training/courses/{course.public_id}/sessions/create/")
    portal.click("Save the session")
    assert "Enter the date of the session" in portal.page.content()
    portal.visit("/training/records/import/")
    portal.click("Import training records")
    assert "Select a CSV file" in portal.page.content()
    csv_path = tmp_path / "training.csv"
    csv_path.write_text(
        "email,course,date\nalice@example.org,Co-production essentials,2025-01-01\nx@y.org,Nope,2025-01-01\n"
    )
    portal.page.locator("input[type=file][name=file]").set_input_files(str(csv_path))
    portal.click("Import training records")
    assert (
        "1 training record added." in portal.page.content()
        and "No course has the code or title" in portal.page.content()
    )
