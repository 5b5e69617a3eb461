"""A report whose worker is killed half way through its build is still produced exactly once, and
emailed once: when only the pool child dies (the kernel's OOM killer), and when the whole worker
dies (a lost machine) and a new one is started.

The build is held half way by a lock on the "You said" table (see conftest.table_locked), so the
kill lands after the report was claimed and before it was finished, every time.
"""

import os
import signal
import time

import pytest
from django.utils import timezone

from coproduction.celery import app
from reporting import services
from reporting.models import Report, YouSaid
from tests.reliability.conftest import (
    RESTORE_SWEEP,
    STALE_AFTER,
    VISIBILITY_TIMEOUT,
    ready,
    running_task_pid,
    table_locked,
    task_outcome,
)
from tests.reporting.test_worker import drain, emails, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PREFORK = ("--pool=prefork", "--concurrency=1")


def status(report: Report) -> str:
    return Report.objects.values_list("status", flat=True).get(pk=report.pk)


def assert_produced_once(report: Report, mail, staff) -> None:
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.attempts == 2  # the killed build's claim, and the one that finished
    assert Report.objects.filter(schedule=report.schedule).count() == 1
    assert services.read_report_file(report, "pdf").startswith(b"%PDF-")
    [message] = emails(mail)
    assert f"To: {staff.email}" in message


def test_a_report_whose_pool_child_is_killed_half_way_is_produced_once(
    workers, worker_env, folders, beat_task, last_month, staff
):
    _, mail = folders
    worker = workers(worker_env, *PREFORK)
    ready(worker)
    with table_locked(YouSaid):
        task = app.send_task("reporting.tasks.produce_report", args=[last_month.pk])
        wait_until(lambda: status(last_month) == "building", "claim the report")
        child = running_task_pid(task.id)
        os.kill(child, signal.SIGKILL)
        wait_until(lambda: worker.pool_children() - {child}, "replace its killed pool child")

    # The worker survived and ran the task again at once (reject_on_worker_lost). That run could not
    # tell the claim was a dead child's, so it left the report alone: nothing was built twice.
    wait_until(lambda: task_outcome(worker, task.id), "run the task again")
    assert task_outcome(worker, task.id) == "not claimed"
    last_month.refresh_from_db()
    assert worker.alive()
    assert (last_month.status, last_month.attempts) == ("building", 1)
    assert emails(mail) == []

    # Once the claim is older than any task may run, the beat job (every 15 minutes) sends it again.
    time.sleep(max(0, (last_month.claimed_at - timezone.now()).total_seconds() + STALE_AFTER + 0.5))
    app.send_task(beat_task.task)
    wait_until(lambda: status(last_month) == "ready", "finish the report")
    wait_until(lambda: emails(mail), "email the report")
    drain()
    assert_produced_once(last_month, mail, staff)


def test_a_report_whose_whole_worker_is_killed_is_produced_once_by_the_next_worker(
    workers, worker_env, folders, last_month, staff
):
    _, mail = folders
    first = workers(worker_env, *PREFORK)
    ready(first)
    with table_locked(YouSaid):
        sent_at = time.monotonic()
        app.send_task("reporting.tasks.produce_report", args=[last_month.pk])
        wait_until(lambda: status(last_month) == "building", "claim the report")
        first.kill()

    workers(worker_env, *PREFORK)
    # Redis hands the dead worker's task to the new one once its visibility timeout has passed (looked
    # for every RESTORE_SWEEP seconds); by then the dead build's claim is stale and can be taken over.
    bound = VISIBILITY_TIMEOUT + RESTORE_SWEEP + 20
    wait_until(lambda: status(last_month) == "ready", "finish the report", timeout=bound)
    took = time.monotonic() - sent_at
    wait_until(lambda: emails(mail), "email the report")
    drain()
    assert_produced_once(last_month, mail, staff)
    # Not before the visibility timeout: until then the first worker might only have been slow.
    assert VISIBILITY_TIMEOUT <= took <= bound
