"""Courses, sessions, bookings, training records and coverage.

Everyone signed in sees the courses offered to them, books places and keeps their own training.
Staff and administrators manage the catalogue and import past training; a session's organiser
(`staff` here) and administrators change it and mark attendance. A person's records and
certificates: the person, staff on a programme they are on (`member` takes part in `staff`'s
programme) and administrators; anyone else gets 404. Coverage is seen as the programme is.
"""

from django.core.files.base import ContentFile

from people import training as services
from people.models.training import Course, TrainingBooking, TrainingRecord
from tests.authorisation.matrix import HIDDEN, REDIRECT, Row, only, signed_in
from tests.people.factories_training import CourseFactory, TrainingRecordFactory, TrainingSessionFactory, at

CERTIFICATE = "training-certificates/authorisation-matrix/certificate.pdf"


def build_world(world):
    people = world["people"]
    course = CourseFactory(title="Co-production essentials", code="COP-ESS", audience=Course.Audience.BOTH)
    upcoming = TrainingSessionFactory(course=course, organiser=people["staff"], starts_at=at(14))
    other_course = CourseFactory(title="Listening well", code="LISTEN", audience=Course.Audience.BOTH)
    booked = TrainingSessionFactory(course=other_course, organiser=people["staff"], starts_at=at(21))
    booking = TrainingBooking.objects.create(session=booked, person=people["member"])
    past = TrainingSessionFactory(course=course, organiser=people["staff"], starts_at=at(-2))
    TrainingBooking.objects.create(session=past, person=people["member"])
    # The certificate lives in the private folder under MEDIA_ROOT (var/, never committed).
    storage = services.certificate_storage()
    if not storage.exists(CERTIFICATE):
        storage.save(CERTIFICATE, ContentFile(b"%PDF-1.4\n% matrix test certificate\n"))
    record = TrainingRecordFactory(
        person=people["member"],
        course=course,
        evidence=TrainingRecord.Evidence.CERTIFICATE,
        certificate_file=CERTIFICATE,
        certificate_name="certificate.pdf",
        certificate_content_type="application/pdf",
    )
    return {
        "course": course,
        "upcoming_session": upcoming,
        "member_booking": booking,
        "past_session": past,
        "certificate_record": record,
    }


def course(world):
    return [world["course"].public_id]


MANAGERS = ("staff", "other_staff", "administrator")
ORGANISER = ("staff", "administrator")
OWNER_AND_THEIR_STAFF = only("member", "staff", "administrator", others=HIDDEN)

ROWS = [
    Row("people:my_training", get=signed_in()),
    Row("people:training_courses", get=signed_in()),
    Row("people:training_course_detail", get=signed_in(), args=course),
    # The course is for staff and members, so everyone signed in can book; an empty POST books.
    Row(
        "people:training_session_book",
        get=signed_in(),
        post=signed_in(REDIRECT),
        args=lambda world: [world["upcoming_session"].public_id],
    ),
    Row(
        "people:training_booking_cancel",
        get=only("member", others=HIDDEN),
        post=only("member", outcome=REDIRECT, others=HIDDEN),
        args=lambda world: [world["member_booking"].public_id],
    ),
    # An empty POST is shown again with "Choose the course you completed" and friends.
    Row("people:training_record_add", get=signed_in(), post=signed_in()),
    Row(
        "people:training_certificate",
        get=OWNER_AND_THEIR_STAFF,
        args=lambda world: [world["certificate_record"].public_id],
    ),
    Row("people:training_manage", get=only(*MANAGERS)),
    Row("people:training_course_create", get=only(*MANAGERS), post=only(*MANAGERS)),
    Row("people:training_course_edit", get=only(*MANAGERS), post=only(*MANAGERS), args=course),
    Row("people:training_session_create", get=only(*MANAGERS), post=only(*MANAGERS), args=course),
    # Only the organiser (and administrators) change a session; others who can see it get 403.
    Row(
        "people:training_session_edit",
        get=only(*ORGANISER),
        post=only(*ORGANISER),
        args=lambda world: [world["upcoming_session"].public_id],
    ),
    # An empty POST is a valid answer: nobody came.
    Row(
        "people:training_session_attendance",
        get=only(*ORGANISER),
        post=only(*ORGANISER, outcome=REDIRECT),
        args=lambda world: [world["past_session"].public_id],
    ),
    Row("people:training_import", get=only(*MANAGERS), post=only(*MANAGERS)),
    Row(
        "people:training_person",
        get=only("staff", "administrator", others=HIDDEN),
        args=lambda world: [world["people"]["member"].public_id],
    ),
    # As the programme page: its team, leaders and administrators; the rest must not learn it exists.
    Row(
        "people:training_coverage",
        get=only("staff", "leader", "administrator", others=HIDDEN),
        args=lambda world: [world["programme"].public_id],
    ),
]
