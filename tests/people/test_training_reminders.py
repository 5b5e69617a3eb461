"""The daily job: people are emailed 30 days before a record expires; their programme leads when a
required course lapses. Running it twice sends nothing new."""

import pytest
from django.utils import timezone

from coproduction.models import AuditEntry
from people import training as services
from people.models.training import Course, TrainingRecord
from people.training_tasks import send_training_reminders
from programmes.models import TeamMembership
from tests.conftest import make_person
from tests.people.factories_training import (
    CourseFactory,
    TrainingRecordFactory,
    TrainingSessionFactory,
    programme_led_by,
)
from tests.programmes.factories import days_from_today

pytestmark = pytest.mark.django_db


def expiring_in(person, course, days):
    """A record of `course` for `person` that expires `days` from today."""
    return TrainingRecordFactory(
        person=person, course=course, completed_on=days_from_today(days - 365), expires_on=days_from_today(days)
    )


@pytest.fixture
def required():
    return CourseFactory(title="Co-production essentials", required_for=Course.RequiredFor.PROGRAMME_STAFF)


def test_people_are_reminded_30_days_before_expiry_once(member, sent_emails):
    course = CourseFactory(title="Telling your story")
    TrainingSessionFactory(course=course)
    record = expiring_in(member, course, 30)
    expiring_in(member, CourseFactory(), 31)  # not yet
    assert send_training_reminders() == {"expiring": 1, "lapsed": 0}
    assert [m.to for m in sent_emails] == [[member.email]]
    assert "Your Telling your story training expires on" in sent_emails[0].subject
    assert "The next session is on" in sent_emails[0].body
    record.refresh_from_db()
    assert record.expiry_reminder_sent_at is not None
    assert send_training_reminders() == {"expiring": 0, "lapsed": 0}
    assert len(sent_emails) == 1


def test_nobody_is_reminded_about_training_they_have_already_renewed(member, sent_emails):
    course = CourseFactory()
    expiring_in(member, course, 10)
    expiring_in(member, course, 400)
    assert send_training_reminders()["expiring"] == 0
    assert not sent_emails


def test_programme_leads_are_told_once_when_a_required_course_lapses(staff, other_staff, member, required, sent_emails):
    programme = programme_led_by(staff, member=member)
    TeamMembership.objects.create(programme=programme, user=other_staff)
    second_lead = make_person("Lee Lead", "lee@example.org", "Staff")
    TeamMembership.objects.create(programme=programme, user=second_lead, role=TeamMembership.Role.LEAD)
    lapsed = expiring_in(other_staff, required, -1)
    assert send_training_reminders() == {"expiring": 0, "lapsed": 1}
    assert sorted(m.to[0] for m in sent_emails) == [staff.email, second_lead.email]
    assert f"{other_staff.name}'s Co-production essentials training has expired" in sent_emails[0].subject
    lapsed.refresh_from_db()
    assert lapsed.lapse_notice_sent_at is not None
    assert AuditEntry.objects.filter(action="training.lapse_notice_sent", subject_id=str(lapsed.public_id)).exists()
    send_training_reminders()
    assert len(sent_emails) == 2


def test_a_participants_manager_is_the_lead_of_the_programme_they_take_part_in(staff, member, sent_emails):
    programme_led_by(staff, member=member)
    course = CourseFactory(audience=Course.Audience.MEMBERS, required_for=Course.RequiredFor.MEMBERS)
    expiring_in(member, course, -3)
    send_training_reminders()
    assert [m.to for m in sent_emails] == [[staff.email]]


def test_optional_courses_and_long_ago_lapses_do_not_notify_managers(staff, other_staff, required, sent_emails):
    programme = programme_led_by(staff)
    TeamMembership.objects.create(programme=programme, user=other_staff)
    expiring_in(other_staff, CourseFactory(), -2)  # optional
    old = TrainingRecordFactory(person=other_staff, course=required, completed_on=days_from_today(-2000))
    assert old.expires_on < days_from_today(-31)
    assert send_training_reminders() == {"expiring": 0, "lapsed": 0}
    assert not sent_emails


def test_a_lead_whose_own_training_lapses_is_not_emailed_about_themselves(staff, required, sent_emails):
    programme_led_by(staff)
    expiring_in(staff, required, -1)
    assert services.send_training_reminders()["lapsed"] == 1
    assert not sent_emails


def test_the_reminder_is_claimed_before_it_is_sent(member, sent_emails):
    """Two runs at once: the second finds the record already claimed and sends nothing."""
    record = expiring_in(member, CourseFactory(), 5)
    TrainingRecord.objects.filter(pk=record.pk).update(expiry_reminder_sent_at=timezone.now())
    assert services._remind_expiring(record.pk) == 0
    assert not sent_emails
