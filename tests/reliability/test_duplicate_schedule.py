"""The same work sent twice at the same moment, to a worker with two processes taking one copy each:
the beat job (two beats running by mistake, or a beat restarted mid-send), and one report's task.
Every report is made once, built once and emailed once.

Both copies are held just before they write, by a lock on the report table (reads go on, writes
wait), and let go together, so they race every time.
"""

import pytest

from coproduction.celery import app
from reporting.models import Report
from tests.reliability.conftest import ready, sessions_waiting_for_a_lock, table_locked, task_outcome
from tests.reporting.test_worker import drain, emails, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TWO_PROCESSES = ("--pool=prefork", "--concurrency=2")


def test_the_same_schedule_fired_twice_at_once_makes_and_emails_each_report_once(
    workers, worker_env, folders, beat_task, schedule, staff
):
    _, mail = folders
    worker = workers(worker_env, *TWO_PROCESSES)
    ready(worker)
    with table_locked(Report, "SHARE"):
        app.send_task(beat_task.task)
        app.send_task(beat_task.task)
        # Both have worked out the same missing reports and wait to insert them.
        wait_until(lambda: sessions_waiting_for_a_lock('INSERT INTO "reporting_report"') == 2, "run both at once")
        assert not Report.objects.exists()

    wait_until(lambda: Report.objects.filter(status="ready").count() >= 2, "produce the reports")
    wait_until(lambda: len(emails(mail)) >= 2, "email the reports")
    drain()
    reports = Report.objects.filter(schedule=schedule)
    assert reports.count() == Report.objects.count() == 2  # the schedule's two complete months
    assert [report.attempts for report in reports] == [1, 1]
    assert len(emails(mail)) == 2
    assert all(f"To: {staff.email}" in message for message in emails(mail))


def test_one_report_sent_twice_at_once_is_built_and_emailed_once(workers, worker_env, folders, last_month, staff):
    _, mail = folders
    worker = workers(worker_env, *TWO_PROCESSES)
    ready(worker)
    with table_locked(Report, "SHARE"):
        first = app.send_task("reporting.tasks.produce_report", args=[last_month.pk])
        second = app.send_task("reporting.tasks.produce_report", args=[last_month.pk])
        # Both processes are trying to claim the report.
        wait_until(lambda: sessions_waiting_for_a_lock('UPDATE "reporting_report"') == 2, "run both at once")

    wait_until(lambda: emails(mail), "email the report")
    drain()
    last_month.refresh_from_db()
    assert (last_month.status, last_month.attempts) == ("ready", 1)  # claimed and built once
    [message] = emails(mail)
    assert f"To: {staff.email}" in message
    assert sorted(task_outcome(worker, task.id) for task in (first, second)) == ["not claimed", "ready"]
