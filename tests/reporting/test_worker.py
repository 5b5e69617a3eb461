"""The scheduled path with a real Celery worker process on Redis and PostgreSQL: the beat job's task
→ due reports made → produced (HTML, PDF, CSV stored) → emailed once; and again under duplicate
tasks and after a worker died half way through a build.

The worker is another process, so its email goes to files (EMAIL_URL=filemail://…) and its reports
to this test's MEDIA_ROOT. Skipped without REDIS_URL and a PostgreSQL DATABASE_URL, except where
REQUIRE_SERVICE_TESTS is set (CI), where it must run.
"""

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from coproduction.celery import app
from programmes.models import TeamMembership
from reporting import services
from reporting.models import Frequency, Report, ReportSubscription
from tests.programmes.factories import ProgrammeFactory
from tests.reporting.factories import ScheduleFactory, YouSaidFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BEAT_TASK_NAME = "Produce due 'We said, We did' reports"


@pytest.fixture
def folders(tmp_path, settings):
    media, mail = tmp_path / "media", tmp_path / "mail"
    media.mkdir()
    mail.mkdir()
    settings.MEDIA_ROOT = media
    return media, mail


@pytest.fixture
def worker(folders):
    if not (os.environ.get("REDIS_URL") and connection.vendor == "postgresql"):
        if os.environ.get("REQUIRE_SERVICE_TESTS"):
            pytest.fail("REQUIRE_SERVICE_TESTS is set but REDIS_URL/PostgreSQL are not configured")
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL for a worker in another process")
    media, mail = folders
    db = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "MEDIA_ROOT": str(media),
        "EMAIL_URL": f"filemail:///{mail}",  # four slashes before an absolute path
    }
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier run
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "coproduction", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=env,
    )
    try:
        assert app.send_task("coproduction.tasks.ping", ignore_result=False).get(timeout=60) == "pong"
        yield mail
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def beat_task():
    """The beat schedule row, as migration 0002 makes it (a transactional test's flush removes it)."""
    from importlib import import_module

    from django.apps import apps

    import_module("reporting.migrations.0002_schedule_report_production").add_schedule(apps, None)
    return PeriodicTask.objects.get(name=BEAT_TASK_NAME)


def emails(mail: Path) -> list[str]:
    """Each message the worker sent, from the file backend's files."""
    messages = []
    for path in sorted(mail.iterdir()):
        messages += [m for m in path.read_text().split("-" * 79) if "Subject:" in m]
    return messages


def wait_until(condition, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"the worker did not {what} within {timeout:.0f} s"
        time.sleep(0.5)


def drain():
    """A ping answered after everything queued before it: the solo worker takes tasks in order."""
    assert app.send_task("coproduction.tasks.ping", ignore_result=False).get(timeout=90) == "pong"


@pytest.fixture
def schedule(staff, member):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    YouSaidFactory(programme=programme, member=member, said_on=date(2026, 2, 3), text="Classes are too far away")
    # Two complete months before today: the beat job must make and send both.
    this_month = timezone.localdate().replace(day=1)
    starts = (this_month - timedelta(days=40)).replace(day=1)
    schedule = ScheduleFactory(programme=programme, frequency=Frequency.MONTHLY, starts_on=starts)
    ReportSubscription.objects.create(schedule=schedule, user=staff)
    ReportSubscription.objects.create(schedule=schedule, user=member)  # members wait for publication
    return schedule


def test_the_beat_job_produces_each_due_report_once_with_a_real_worker(worker, beat_task, schedule, staff):
    mail = worker
    app.send_task(beat_task.task)  # what beat sends, from its schedule
    wait_until(lambda: Report.objects.filter(schedule=schedule, status="ready").count() == 2, "produce two reports")
    wait_until(lambda: len(emails(mail)) == 2, "send two emails")
    for report in Report.objects.filter(schedule=schedule):
        assert services.read_report_file(report, "pdf").startswith(b"%PDF-")
        assert b"You said" in services.read_report_file(report, "html")
        assert report.emailed_at is not None
    assert all(f"To: {staff.email}" in message for message in emails(mail))

    # Duplicates: the beat job twice more, and every report's task sent again.
    app.send_task(beat_task.task)
    app.send_task(beat_task.task)
    for report in Report.objects.filter(schedule=schedule):
        app.send_task("reporting.tasks.produce_report", args=[report.pk])
    drain()
    assert Report.objects.filter(schedule=schedule).count() == 2
    assert len(emails(mail)) == 2


def test_a_report_whose_worker_died_half_way_is_finished_once_by_a_real_worker(worker, beat_task, schedule, staff):
    mail = worker
    this_month = timezone.localdate().replace(day=1)
    end = this_month - timedelta(days=1)
    # A worker claimed this report, then died before finishing: the row is left "building" with a
    # claim older than any task may run.
    report = Report.objects.create(
        schedule=schedule,
        programme=schedule.programme,
        period_start=end.replace(day=1),
        period_end=end,
        status=Report.Status.BUILDING,
        claimed_at=timezone.now() - services.STALE_BUILD_AFTER - timedelta(minutes=1),
        attempts=1,
    )
    # The message is re-delivered, and beat runs too: both at once.
    app.send_task("reporting.tasks.produce_report", args=[report.pk])
    app.send_task(beat_task.task)
    wait_until(lambda: Report.objects.filter(schedule=schedule, status="ready").count() == 2, "finish the reports")
    drain()
    report.refresh_from_db()
    assert report.status == "ready" and report.attempts == 2
    assert Report.objects.filter(schedule=schedule, period_start=report.period_start).count() == 1
    wait_until(lambda: len(emails(mail)) == 2, "send one email per report")
    drain()
    assert len(emails(mail)) == 2
