"""Report schedules and reports: due periods, exactly once, broker down, files, publishing."""

import csv
import io
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from coproduction.models import AuditEntry
from reporting import periods, services
from reporting.models import Frequency, Report, ReportSubscription
from tests.conftest import assert_flat_queries
from tests.reporting.factories import ScheduleFactory, WeDidFactory, YouSaidFactory, answered, ready_report

pytestmark = pytest.mark.django_db


class Crash(BaseException):
    """A worker killed between building and marking done: nothing in the task catches it."""


@pytest.fixture
def schedule(programme, staff, leader, member):
    schedule = ScheduleFactory(programme=programme, frequency=Frequency.QUARTERLY, starts_on=date(2026, 1, 15))
    for person in (staff, leader, member):
        ReportSubscription.objects.create(schedule=schedule, user=person)
    return schedule


# Periods ------------------------------------------------------------------------------------------
def test_periods_are_calendar_months_and_quarters():
    assert periods.period_containing(date(2026, 5, 17), Frequency.QUARTERLY) == (date(2026, 4, 1), date(2026, 6, 30))
    assert periods.period_containing(date(2026, 2, 3), Frequency.MONTHLY) == (date(2026, 2, 1), date(2026, 2, 28))
    assert periods.complete_periods(date(2026, 1, 15), Frequency.QUARTERLY, today=date(2026, 10, 1)) == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
    ]
    assert periods.previous_period(date(2026, 4, 1), date(2026, 6, 30)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert periods.period_name(date(2026, 4, 1), date(2026, 6, 30)) == "April to June 2026"


def test_the_beat_schedule_is_installed_by_migration():
    task = PeriodicTask.objects.get(task="reporting.tasks.enqueue_due_reports")
    assert task.enabled and task.crontab.minute == "*/15"


# Exactly once -------------------------------------------------------------------------------------
def test_the_beat_job_makes_each_due_period_once_and_catches_up_missed_ones(
    schedule, sent_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enqueue_due_reports(today=date(2026, 7, 2))
    assert first["created"] == 2  # January–March and April–June: a missed quarter is caught up
    with django_capture_on_commit_callbacks(execute=True):
        again = services.enqueue_due_reports(today=date(2026, 7, 2))
    assert again["created"] == 0
    reports = Report.objects.filter(schedule=schedule).order_by("period_start")
    assert [(r.period_start, r.status) for r in reports] == [
        (date(2026, 1, 1), "ready"),
        (date(2026, 4, 1), "ready"),
    ]
    # Staff-side subscribers are emailed once per report; members wait for publication.
    assert len(sent_emails) == 4
    assert {m.to[0] for m in sent_emails} == {
        schedule.subscriptions.get(user__name="Charlie Staff").user.email,
        schedule.subscriptions.get(user__name="Eve Leader").user.email,
    }


def test_producing_the_same_report_twice_leaves_one_report_and_one_email(schedule, sent_emails):
    report = Report.objects.create(
        schedule=schedule, programme=schedule.programme, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )
    assert services.produce_report(report_id=report.pk) == "ready"
    assert services.produce_report(report_id=report.pk) == "not claimed"
    assert Report.objects.filter(schedule=schedule).count() == 1
    assert len(sent_emails) == 2  # staff and leader, once each
    assert AuditEntry.objects.filter(action="report.produced").count() == 1
    # And the unique key stops a second row for the same period, however it is attempted.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(schedule=schedule, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))


def test_a_worker_killed_between_build_and_done_is_redone_once(schedule, sent_emails, monkeypatch):
    report = Report.objects.create(
        schedule=schedule, programme=schedule.programme, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )
    real_finish = services.finish_report

    def crash(*args, **kwargs):
        raise Crash

    monkeypatch.setattr(services, "finish_report", crash)
    with pytest.raises(Crash):
        services.produce_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "building" and report.emailed_at is None and not sent_emails

    # The task is re-delivered at once: the claim is still fresh, so it does nothing.
    monkeypatch.setattr(services, "finish_report", real_finish)
    assert services.produce_report(report_id=report.pk) == "not claimed"
    # Once no task could still be running, the beat job sends it again and it is finished once.
    later = timezone.now() + services.STALE_BUILD_AFTER + timedelta(seconds=1)
    assert services.enqueue_due_reports(today=date(2026, 4, 2), now=later)["sent"] == 1
    assert services.produce_report(report_id=report.pk, now=later) == "ready"
    assert services.produce_report(report_id=report.pk, now=later) == "not claimed"
    report.refresh_from_db()
    assert report.status == "ready" and report.attempts == 2
    assert len(sent_emails) == 2 and Report.objects.count() == 1


def test_a_build_that_fails_goes_back_to_pending_for_the_beat_job(schedule, monkeypatch):
    report = Report.objects.create(
        schedule=schedule, programme=schedule.programme, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )

    def broken(report):
        raise OSError("disk full")

    monkeypatch.setattr(services, "build_report", broken)
    with pytest.raises(OSError):
        services.produce_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "pending" and report.enqueued_at is None and "disk full" in report.last_error


# Broker down --------------------------------------------------------------------------------------
# Transactional: the row must really commit before the broker is asked, as in a live request.
@pytest.mark.django_db(transaction=True)
def test_produce_now_with_the_broker_down_keeps_the_page_working_and_catches_up(
    client_for, staff, programme, monkeypatch, django_capture_on_commit_callbacks, sent_emails
):
    from kombu.exceptions import OperationalError

    from reporting.tasks import produce_report

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(produce_report, "apply_async", broker_down)
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_now"),
            {
                "programme": programme.pk,
                "period_start-day": "1",
                "period_start-month": "1",
                "period_start-year": "2026",
                "period_end-day": "31",
                "period_end-month": "3",
                "period_end-year": "2026",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "it will be produced when it is back" in response.text
    report = Report.objects.get()
    assert report.status == "pending" and report.enqueued_at is None

    # The broker comes back: the next beat run sends it, and it is produced and emailed once.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue_due_reports()
    report.refresh_from_db()
    assert report.status == "ready"
    assert [m.to for m in sent_emails] == [[staff.email]]


@pytest.mark.django_db(transaction=True)
def test_produce_now_with_the_broker_up_shows_the_report(
    client_for, staff, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            reverse("reporting:report_now"),
            {
                "programme": programme.pk,
                "period_start-day": "1",
                "period_start-month": "10",
                "period_start-year": "2026",
                "period_end-day": "31",
                "period_end-month": "10",
                "period_end-year": "2026",
            },
            follow=True,
        )
    assert "Your report is ready" in response.text and "You said, we did" in response.text


def test_a_period_that_has_not_ended_cannot_be_asked_for(client_for, staff, programme):
    future = timezone.localdate() + timedelta(days=5)
    response = client_for(staff).post(
        reverse("reporting:report_now"),
        {
            "programme": programme.pk,
            "period_start-day": "1",
            "period_start-month": "1",
            "period_start-year": "2026",
            "period_end-day": future.day,
            "period_end-month": future.month,
            "period_end-year": future.year,
        },
    )
    assert "The last day must be today or in the past" in response.text and not Report.objects.exists()


# The files ----------------------------------------------------------------------------------------
def test_the_report_has_you_said_we_did_and_an_accessible_pdf_and_a_safe_csv(staff, member, programme, project):
    said = YouSaidFactory(
        programme=programme,
        project=project,
        member=member,
        said_on=date(2026, 2, 3),
        text='=HYPERLINK("x") classes are too far',
    )
    we_did = WeDidFactory(
        programme=programme,
        owner=staff,
        status="done",
        outcome="Classes moved to the bus route.",
        completed_on=date(2026, 3, 1),
    )
    answered(said, we_did, on=date(2026, 2, 10))
    report = ready_report(programme=programme, start=date(2026, 1, 1), end=date(2026, 3, 31))
    html = services.read_report_file(report, "html").decode()
    assert "classes are too far" in html and "Classes moved to the bus route." in html
    assert member.name not in html  # reports never say who said it
    pdf = services.read_report_file(report, "pdf")
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())  # table cells wrap lines
    assert "We said, we did: Better Breathing" in text and "Classes moved to the bus route." in text
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info and "Title:           We said, we did: Better Breathing" in info
    meta = subprocess.run(["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "pdfuaid:part" in meta  # declared PDF/UA-1
    rows = list(csv.reader(io.StringIO(services.read_report_file(report, "csv").decode("utf-8-sig"))))
    assert rows[0][:3] == ["section", "measure", "value"]
    said_row = next(r for r in rows if r[0] == "You said, we did")
    assert said_row[6].startswith("'=HYPERLINK")  # no spreadsheet formulas from what people typed
    assert report.figures["you_said"] == "1" and report.figures["done"] == "100%"


def test_counts_of_people_in_a_report_are_suppressed(staff, programme):
    report = ready_report(programme=programme, start=date(2026, 1, 1), end=date(2026, 3, 31))
    # One staff member on the team: a count from 1 to 7 is never shown.
    html = services.read_report_file(report, "html").decode()
    assert "counts of people from 1 to 7 are shown as *" in html


# Pages --------------------------------------------------------------------------------------------
def test_publishing_needs_an_easy_read_summary_and_tells_opted_in_members_once(
    client_for, staff, member, schedule, sent_emails
):
    report = ready_report(
        programme=schedule.programme, schedule=schedule, start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    client = client_for(staff)
    url = reverse("reporting:report_publish", args=[report.public_id])
    assert "Write the Easy Read summary" in client.post(url, {}).text
    response = client.post(url, {"easy_read": "People told us classes were far away.\nWe moved them."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_by == staff
    assert [m.to for m in sent_emails] == [[member.email]]
    assert "Already" not in client.post(url, {"easy_read": "Again"}).text
    assert len(sent_emails) == 1
    public = client_for(None).get(reverse("reporting:public_report", args=[report.public_id])).text
    assert "We moved them." in public and "Easy Read summary" in public


def test_unpublished_reports_are_not_on_the_public_page(client_for, member, programme):
    report = ready_report(programme=programme, start=date(2026, 1, 1), end=date(2026, 3, 31))
    for person in (None, member):
        client = client_for(person)
        assert client.get(reverse("reporting:public_report", args=[report.public_id])).status_code == 404
        assert client.get(reverse("reporting:public_report_pdf", args=[report.public_id])).status_code == 404
        assert str(report.public_id) not in client.get(reverse("reporting:public_reports")).text


def test_a_subscriber_from_another_programme_may_read_the_report(client_for, other_staff, schedule):
    report = ready_report(
        programme=schedule.programme, schedule=schedule, start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    client = client_for(other_staff)
    assert client.get(reverse("reporting:report_detail", args=[report.public_id])).status_code == 404
    ReportSubscription.objects.create(schedule=schedule, user=other_staff)
    assert client.get(reverse("reporting:report_detail", args=[report.public_id])).status_code == 200
    # Reading is not publishing.
    assert client.get(reverse("reporting:report_publish", args=[report.public_id])).status_code == 403


def test_members_opt_in_to_report_emails(client_for, member, schedule):
    ReportSubscription.objects.filter(user=member).delete()
    client = client_for(member)
    url = reverse("reporting:schedule_subscribe", args=[schedule.public_id])
    assert client.post(url, {"subscribe": "yes"}).status_code == 302
    assert ReportSubscription.objects.filter(user=member, schedule=schedule).exists()
    assert "Stop emails" in client.get(reverse("reporting:my_subscriptions")).text
    client.post(url, {"subscribe": "no"})
    assert not ReportSubscription.objects.filter(user=member).exists()


def test_staff_create_a_schedule_for_their_programme_only(client_for, staff, leader, programme):
    from tests.programmes.factories import ProgrammeFactory

    other = ProgrammeFactory()
    client = client_for(staff)
    data = {"frequency": "monthly", "starts_on-day": "1", "starts_on-month": "1", "starts_on-year": "2026"}
    response = client.post(reverse("reporting:schedule_create"), {**data, "programme": other.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    response = client.post(
        reverse("reporting:schedule_create"), {**data, "programme": programme.pk, "subscribers": [leader.pk]}
    )
    assert response.status_code == 302
    schedule = programme.report_schedules.get()
    assert set(schedule.subscribers.all()) == {staff, leader}
    response = client.post(reverse("reporting:schedule_create"), {**data, "programme": programme.pk})
    assert "There is already a schedule like this" in response.text


def test_report_page_and_public_page_have_flat_queries(client_for, staff, programme):
    def add(n):
        for _ in range(n):
            report = ready_report(programme=programme, start=date(2026, 1, 1), end=date(2026, 1, 31))
            Report.objects.filter(pk=report.pk).update(published_at=timezone.now(), easy_read="Easy")

    report = ready_report(programme=programme, start=date(2026, 1, 1), end=date(2026, 3, 31))
    Report.objects.filter(pk=report.pk).update(published_at=timezone.now(), easy_read="Easy")
    assert_flat_queries(client_for(None), reverse("reporting:public_reports"), add, few=1, many=6)
    # A report's page reads its stored file: the same queries whatever it holds.
    for _ in range(20):
        YouSaidFactory(programme=programme, said_on=date(2026, 2, 1))
    big = ready_report(programme=programme, start=date(2026, 1, 1), end=date(2026, 3, 31))
    client = client_for(staff)
    small_url = reverse("reporting:report_detail", args=[report.public_id])
    big_url = reverse("reporting:report_detail", args=[big.public_id])
    from tests.conftest import count_queries

    count_queries(client, small_url)
    assert count_queries(client, small_url) == count_queries(client, big_url)
    count_queries(client_for(None), reverse("reporting:public_report", args=[report.public_id]))
    Report.objects.filter(pk=big.pk).update(published_at=timezone.now(), easy_read="Easy")
    assert count_queries(
        client_for(None), reverse("reporting:public_report", args=[report.public_id])
    ) == count_queries(client_for(None), reverse("reporting:public_report", args=[big.public_id]))
