"""The daily review of champion commitments: a reminder a month before the review date, lapse after it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from coproduction.models import AuditEntry
from coproduction.roles import Role
from programmes import champions
from programmes.models import ChampionCommitment, LeaderDecision
from programmes.tasks import review_champion_commitments
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

Status = ChampionCommitment.Status


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def other_leader(db):
    return make_person("Olu Leader", "olu@example.org", Role.LEADER)


def make(leader, *, days: int):
    return champions.make_commitment(leader=leader, programme=None, pledge="I will listen.", review_date=in_days(days))


def test_no_reminder_more_than_a_month_before_the_review_date(leader, sent_emails):
    make(leader, days=100)
    assert champions.review_commitments(today=in_days(100 - 31)) == {"reminded": 0, "lapsed": 0}
    assert sent_emails == []


def test_a_reminder_goes_out_once_a_month_before_the_review_date(leader, sent_emails):
    commitment = make(leader, days=100)
    assert champions.review_commitments(today=in_days(70)) == {"reminded": 1, "lapsed": 0}
    assert [m.to for m in sent_emails] == [[leader.email]]
    assert reverse("programmes:commitment_renew", args=[commitment.public_id]) in sent_emails[0].body
    # Run again that day, and on the following days: no second reminder for the same review date.
    for day in (70, 71, 99, 100):
        assert champions.review_commitments(today=in_days(day)) == {"reminded": 0, "lapsed": 0}
    assert len(sent_emails) == 1
    commitment.refresh_from_db()
    assert commitment.reminder_sent_for == in_days(100) and commitment.status == Status.ACTIVE


def test_after_renewing_the_leader_is_reminded_again_before_the_new_date(leader, sent_emails):
    commitment = make(leader, days=20)
    champions.review_commitments(today=in_days(0))
    champions.renew_commitment(commitment=commitment, by=leader, review_date=in_days(200))
    assert champions.review_commitments(today=in_days(169)) == {"reminded": 0, "lapsed": 0}
    assert champions.review_commitments(today=in_days(170)) == {"reminded": 1, "lapsed": 0}
    assert len(sent_emails) == 2


def test_a_commitment_lapses_the_day_after_its_review_date(leader, sent_emails):
    commitment = make(leader, days=100)
    champions.review_commitments(today=in_days(100))
    commitment.refresh_from_db()
    assert commitment.status == Status.ACTIVE  # still current on the review date itself

    assert champions.review_commitments(today=in_days(101)) == {"reminded": 0, "lapsed": 1}
    commitment.refresh_from_db()
    assert commitment.status == Status.LAPSED
    step = commitment.history.last()
    assert step.action == LeaderDecision.Action.LAPSED and step.by is None and "review date" in step.reason
    assert AuditEntry.objects.filter(action="champion.commitment_lapsed").count() == 1
    assert sent_emails[-1].to == [leader.email] and "lapsed" in sent_emails[-1].subject


def test_running_twice_changes_nothing_the_second_time(leader, other_leader, sent_emails):
    make(leader, days=10)  # will lapse
    make(other_leader, days=60)  # will be reminded
    make(other_leader, days=200)  # nothing yet
    first = champions.review_commitments(today=in_days(35))
    state = list(ChampionCommitment.objects.order_by("pk").values_list("status", "reminder_sent_for"))
    counts = (LeaderDecision.objects.count(), AuditEntry.objects.count(), len(sent_emails))

    second = champions.review_commitments(today=in_days(35))

    assert first == {"reminded": 1, "lapsed": 1} and second == {"reminded": 0, "lapsed": 0}
    assert list(ChampionCommitment.objects.order_by("pk").values_list("status", "reminder_sent_for")) == state
    assert (LeaderDecision.objects.count(), AuditEntry.objects.count(), len(sent_emails)) == counts


def test_only_current_commitments_are_reminded_or_lapsed(leader, staff, sent_emails):
    champions.request_commitment(by=staff, leader=leader, programme=None, message="Please.")
    withdrawn = make(leader, days=10)
    champions.withdraw_commitment(commitment=withdrawn, by=leader, reason="Stopping.")
    sent_before = len(sent_emails)
    assert champions.review_commitments(today=in_days(400)) == {"reminded": 0, "lapsed": 0}
    assert len(sent_emails) == sent_before


def test_the_beat_task_runs_the_review(leader, sent_emails):
    make(leader, days=5)
    assert review_champion_commitments.name == "programmes.tasks.review_champion_commitments"
    result = review_champion_commitments.delay()  # eager in tests
    assert result.get() == {"reminded": 1, "lapsed": 0}
    assert review_champion_commitments.delay().get() == {"reminded": 0, "lapsed": 0}


def test_beat_schedules_the_task_daily():
    task = PeriodicTask.objects.get(task="programmes.tasks.review_champion_commitments")
    assert task.enabled and task.crontab is not None
