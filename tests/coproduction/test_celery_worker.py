"""A real Celery worker process on Redis picks up a task and changes the database.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): the worker is a separate process, so it must
reach the same database as the test. Skipped without them, except where REQUIRE_SERVICE_TESTS is
set (CI), where it must run.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from coproduction.celery import app
from coproduction.models import User

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if not (os.environ.get("REDIS_URL") and connection.vendor == "postgresql"):
        if os.environ.get("REQUIRE_SERVICE_TESTS"):
            pytest.fail("REQUIRE_SERVICE_TESTS is set but REDIS_URL/PostgreSQL are not configured")
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL for a worker in another process")
    db = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "coproduction", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=env,
    )
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


def test_a_real_worker_answers_a_task(worker):
    assert app.send_task("coproduction.tasks.ping", ignore_result=False).get(timeout=60) == "pong"


def test_a_real_worker_removes_stale_unverified_sign_ups(worker):
    stale = User.objects.create_user(email="stale@example.org", password="a-long-test-password-1")
    User.objects.filter(pk=stale.pk).update(date_joined=timezone.now() - timedelta(days=8))
    app.send_task("coproduction.tasks.remove_unverified_signups")
    deadline = time.monotonic() + 60
    while User.objects.filter(pk=stale.pk).exists():
        assert time.monotonic() < deadline, "the worker did not remove the stale sign-up within 60 s"
        time.sleep(0.5)
