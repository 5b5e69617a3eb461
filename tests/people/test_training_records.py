"""Training records: "My training", certificates kept private, who may see whose records, and data rights."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from people import personal_data
from people import training as services
from people.models.training import Course, TrainingBooking, TrainingRecord
from programmes.models import TeamMembership
from tests.people.factories_training import (
    PDF,
    PNG,
    CourseFactory,
    TrainingRecordFactory,
    TrainingSessionFactory,
    programme_led_by,
)
from tests.programmes.factories import days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(content=PDF, name="certificate.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def record_form(course, day, file):
    return {
        "course": course.pk,
        "completed_on-day": str(day.day),
        "completed_on-month": str(day.month),
        "completed_on-year": str(day.year),
        "certificate": file,
    }


# My training ---------------------------------------------------------------------------------------
def test_my_training_shows_completed_booked_due_and_expiring(client_for, staff, member):
    programme_led_by(staff)  # staff is on a team, so courses required for programme staff are theirs
    required = CourseFactory(title="Co-production essentials", required_for=Course.RequiredFor.PROGRAMME_STAFF)
    lapsed = CourseFactory(title="Safeguarding adults", required_for=Course.RequiredFor.PROGRAMME_STAFF)
    expiring = CourseFactory(title="Information governance", valid_for_months=12)
    TrainingRecordFactory(person=staff, course=lapsed, completed_on=days_from_today(-400))
    TrainingRecordFactory(person=staff, course=expiring, completed_on=days_from_today(-350))
    booked = TrainingSessionFactory(course=required)
    TrainingBooking.objects.create(session=booked, person=staff)
    html = client_for(staff).get(reverse("people:my_training")).content.decode()
    assert "You need to do this training" in html
    assert "Co-production essentials" in html and "Not done yet." in html
    assert "Safeguarding adults" in html and "Expired on" in html
    assert "Information governance expires on" in html
    assert "Booked" in html and "Cancel" in html
    # A member is not on a programme team, so nothing is due for them.
    assert "You are up to date" in client_for(member).get(reverse("people:my_training")).content.decode()


def test_a_newer_record_replaces_the_expired_one_in_what_is_due(staff):
    programme_led_by(staff)
    course = CourseFactory(required_for=Course.RequiredFor.PROGRAMME_STAFF)
    TrainingRecordFactory(person=staff, course=course, completed_on=days_from_today(-400))
    assert [item["course"] for item in services.training_overview(staff)["due"]] == [course]
    TrainingRecordFactory(person=staff, course=course, completed_on=days_from_today(-10))
    overview = services.training_overview(staff)
    assert overview["due"] == [] and overview["expiring"] == []


def test_courses_required_for_all_members_are_due_for_members(member):
    course = CourseFactory(audience=Course.Audience.MEMBERS, required_for=Course.RequiredFor.MEMBERS)
    assert [item["course"] for item in services.training_overview(member)["due"]] == [course]


# A person's own record, with a certificate ----------------------------------------------------------
def test_a_member_adds_a_course_with_its_certificate_stored_privately(client_for, member, private_media):
    course = CourseFactory(valid_for_months=12)
    day = days_from_today(-5)
    response = client_for(member).post(reverse("people:training_record_add"), record_form(course, day, upload()))
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert record.person == member and record.recorded_by == member
    assert record.evidence == TrainingRecord.Evidence.CERTIFICATE
    assert record.expires_on == course.expiry_for(day)
    assert record.certificate_content_type == "application/pdf" and record.certificate_name == "certificate.pdf"
    stored = Path(private_media) / "private" / record.certificate_file
    assert stored.read_bytes() == PDF
    assert "certificate.pdf" not in record.certificate_file  # random names on disk
    assert AuditEntry.objects.filter(action="training.record_added").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a certificate", "certificate.pdf", "The selected file must be a PDF, JPG or PNG"),
        (b"", "certificate.pdf", "The selected file is empty"),
    ],
)
def test_a_file_that_is_not_a_pdf_jpg_or_png_by_its_content_is_refused(
    client_for, member, private_media, content, name, message
):
    course = CourseFactory()
    response = client_for(member).post(
        reverse("people:training_record_add"), record_form(course, days_from_today(-5), upload(content, name))
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["certificate"])
    assert "nhsuk-error-summary" in response.content.decode()
    assert not TrainingRecord.objects.exists()
    assert not (Path(private_media) / "private").exists()


def test_a_certificate_over_the_size_limit_is_refused(client_for, member, settings):
    settings.TRAINING_CERTIFICATE_MAX_BYTES = 1024
    response = client_for(member).post(
        reverse("people:training_record_add"),
        record_form(CourseFactory(), days_from_today(-5), upload(PDF + b"0" * 2048)),
    )
    assert "The selected file must be smaller than" in " ".join(response.context["form"].errors["certificate"])
    assert not TrainingRecord.objects.exists()


def test_a_completion_date_in_the_future_is_refused_and_no_file_is_kept(client_for, member, private_media):
    response = client_for(member).post(
        reverse("people:training_record_add"), record_form(CourseFactory(), days_from_today(3), upload())
    )
    assert "Date completed must be today or in the past" in " ".join(response.context["form"].errors["completed_on"])
    assert not TrainingRecord.objects.exists()
    assert not (Path(private_media) / "private").exists()


def test_the_same_course_on_the_same_day_is_refused_and_the_new_file_is_not_kept(client_for, member, private_media):
    course = CourseFactory()
    day = days_from_today(-5)
    client = client_for(member)
    client.post(reverse("people:training_record_add"), record_form(course, day, upload()))
    response = client.post(reverse("people:training_record_add"), record_form(course, day, upload(PNG, "c.png")))
    assert "You already have a record of this course on this date" in " ".join(
        response.context["form"].errors["completed_on"]
    )
    assert TrainingRecord.objects.count() == 1
    assert len(list((Path(private_media) / "private").rglob("*.*"))) == 1


def test_members_can_only_record_courses_offered_to_them(client_for, member):
    staff_only = CourseFactory(audience=Course.Audience.STAFF)
    response = client_for(member).post(
        reverse("people:training_record_add"), record_form(staff_only, days_from_today(-5), upload())
    )
    assert "course" in response.context["form"].errors
    assert not TrainingRecord.objects.exists()


# Certificates are served only to those allowed -------------------------------------------------------
@pytest.fixture
def certificate_record(member):
    return services.add_own_record(
        person=member, course=CourseFactory(), completed_on=days_from_today(-5), certificate=upload(PNG, "me.png")
    )


def test_the_owner_staff_on_their_programme_and_administrators_can_open_the_certificate(
    client_for, member, staff, administrator, certificate_record
):
    programme_led_by(staff, member=member)
    url = reverse("people:training_certificate", args=[certificate_record.public_id])
    for someone in (member, staff, administrator):
        response = client_for(someone).get(url)
        assert response.status_code == 200, someone
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
    # Staff and administrators looking at someone's certificate is audited; the person is not.
    assert AuditEntry.objects.filter(action="training.certificate_viewed").count() == 2


def test_nobody_else_learns_the_certificate_exists(
    client_for, other_member, other_staff, leader, finance, certificate_record
):
    url = reverse("people:training_certificate", args=[certificate_record.public_id])
    for someone in (other_member, other_staff, leader, finance):
        assert client_for(someone).get(url).status_code == 404, someone


def test_staff_stop_seeing_a_persons_records_when_they_leave_the_programme(
    client_for, member, staff, certificate_record
):
    programme = programme_led_by(staff, member=member)
    url = reverse("people:training_person", args=[member.public_id])
    assert client_for(staff).get(url).status_code == 200
    programme.projects.get().participants.update(status="left")
    assert client_for(staff).get(url).status_code == 404


def test_staff_see_the_training_of_their_team(client_for, staff, other_staff):
    programme = programme_led_by(staff)
    TeamMembership.objects.create(programme=programme, user=other_staff)
    TrainingRecordFactory(person=other_staff, course=CourseFactory(title="Safeguarding adults"))
    response = client_for(staff).get(reverse("people:training_person", args=[other_staff.public_id]))
    assert response.status_code == 200
    assert "Safeguarding adults" in response.content.decode()
    assert AuditEntry.objects.filter(action="training.person_viewed", actor=staff).exists()


# For recognition, data rights and the dashboard ------------------------------------------------------
def test_completed_course_count_counts_different_courses(member):
    course = CourseFactory()
    TrainingRecordFactory(person=member, course=course, completed_on=days_from_today(-800))
    TrainingRecordFactory(person=member, course=course, completed_on=days_from_today(-10))
    TrainingRecordFactory(person=member, course=CourseFactory())
    assert services.completed_course_count(member) == 2


def test_a_persons_training_is_in_their_download(member, certificate_record):
    services.book_place(session=TrainingSessionFactory(), person=member)
    exported = personal_data.export_for(member)["training"]
    assert exported["records"][0]["certificate_file_name"] == "me.png"
    assert exported["bookings"][0]["status"] == "Booked"


def test_erasing_a_person_removes_certificates_and_frees_their_places(
    member, other_member, certificate_record, private_media, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(places=1)
    services.book_place(session=session, person=member)
    waiting = services.book_place(session=session, person=other_member, join_waiting_list=True)
    stored = Path(private_media) / "private" / certificate_record.certificate_file
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.SECTIONS["training"].erase(member)
    certificate_record.refresh_from_db()
    waiting.refresh_from_db()
    assert not certificate_record.has_certificate and not stored.exists()
    assert TrainingRecord.objects.filter(person=member).exists()  # kept for the programmes' figures
    assert waiting.status == TrainingBooking.Status.BOOKED


def test_members_see_training_offered_to_them_on_their_dashboard(client_for, member):
    TrainingSessionFactory(course=CourseFactory(title="Telling your story", audience=Course.Audience.MEMBERS))
    CourseFactory(title="Managing budgets", audience=Course.Audience.STAFF)
    html = client_for(member).get(reverse("dashboard")).content.decode()
    assert "Training for you" in html and "Telling your story" in html
    assert "Managing budgets" not in html


def test_staff_see_sessions_to_mark_on_their_dashboard(client_for, staff):
    TrainingSessionFactory(organiser=staff, starts_at=timezone.now() - datetime.timedelta(hours=2))
    html = client_for(staff).get(reverse("dashboard")).content.decode()
    assert "1 session needs attendance marking." in html
