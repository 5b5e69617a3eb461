import datetime

import factory
from django.utils import timezone

from people.models.training import Course, TrainingBooking, TrainingRecord, TrainingSession
from tests.factories import UserFactory


def at(days: int, hour: int = 10) -> datetime.datetime:
    """A moment `days` from today at `hour` o'clock, local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"Listening well {n}")
    description = "How to listen to people with lived experience, and act on what they say."
    audience = Course.Audience.BOTH
    format = Course.Format.IN_PERSON
    length = "3 hours"
    valid_for_months = 12
    provider = "Northbrook Integrated Care Board"
    required_for = Course.RequiredFor.NONE


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: at(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    place = "Northbrook Library, Market Street"
    places = 10
    organiser = factory.SubFactory(UserFactory)


class TrainingBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingBooking

    session = factory.SubFactory(TrainingSessionFactory)
    person = factory.SubFactory(UserFactory)
    status = TrainingBooking.Status.BOOKED


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyAttribute(lambda o: o.course.expiry_for(o.completed_on))
    evidence = TrainingRecord.Evidence.ATTENDANCE


def programme_led_by(staff, *, member=None, name="Better Breathing"):
    """A programme `staff` leads, with a project that `member` (if given) takes part in."""
    from programmes.models import TeamMembership
    from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory

    programme = ProgrammeFactory(name=name)
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=staff)
    if member is not None:
        ParticipantFactory(project=project, member=member)
    return programme


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
