"""Real processes for the crash-safety tests: Celery workers that the test kills as the kernel or an
orchestrator would, a table lock that holds a report half way through its build, a Redis of the
test's own. Each worker runs in its own process group and is killed at teardown, pass or fail.

Skipped without REDIS_URL and a PostgreSQL DATABASE_URL, except where REQUIRE_SERVICE_TESTS is set
(CI), where they must run.
"""

import os
import re
import signal
import subprocess
import sys
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from coproduction.celery import app
from reporting.models import Report
from tests.reporting.test_worker import beat_task, folders, schedule  # noqa: F401  (fixtures, reused)

# Short limits, in the order production keeps them (settings.py): the task time limit, below it the
# age at which a report's claim is a dead worker's (limit + a tenth), below that the broker's
# visibility timeout, after which Redis hands a dead worker's task to another.
TIME_LIMIT = 12
STALE_AFTER = TIME_LIMIT * 11 / 10
VISIBILITY_TIMEOUT = 20
RESTORE_SWEEP = 10  # how often a worker looks for such tasks (kombu's unacked_restore_interval)

CELERY = [sys.executable, "-m", "celery", "-A", "coproduction", "worker", "--loglevel=INFO"]


@pytest.fixture(autouse=True)
def real_services():
    if not (os.environ.get("REDIS_URL") and connection.vendor == "postgresql"):
        if os.environ.get("REQUIRE_SERVICE_TESTS"):
            pytest.fail("REQUIRE_SERVICE_TESTS is set but REDIS_URL/PostgreSQL are not configured")
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL for workers in other processes")


@pytest.fixture
def worker_env(folders):  # noqa: F811  (the imported fixture)
    """The environment of a worker process: this test's database, media and mail folders."""
    media, mail = folders
    db = connection.settings_dict
    return {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "MEDIA_ROOT": str(media),
        "EMAIL_URL": f"filemail:///{mail}",  # four slashes before an absolute path
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }


class Worker:
    """`celery worker` in a process group of its own, so that the whole of it can be killed at once.
    Its log goes to a file the test can read."""

    def __init__(self, env: dict, *options: str, log: Path):
        self.log = log
        self.process = subprocess.Popen([*CELERY, f"--logfile={log}", *options], env=env, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def pool_children(self) -> set[int]:
        """The pids of the prefork pool's child processes, from /proc."""
        children = set()
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            children |= {int(pid) for pid in (task / "children").read_text().split()}
        return children

    def logged(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the main process and every child: a lost machine or an OOM-killed container."""
        with suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def clean_broker(url: str) -> None:
    """Nothing left over from an earlier test: no queued tasks, and none held for a dead worker."""
    client = redis.Redis.from_url(url)
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")
    client.close()


@pytest.fixture
def workers(tmp_path):
    """`workers(env, *options)` starts a worker. At teardown all of them are killed, whatever they
    hold is dropped from the broker, and their logs are printed (pytest shows them on failure)."""
    started = []
    clean_broker(os.environ["REDIS_URL"])
    app.conf.task_always_eager = False

    def start(env: dict, *options: str) -> Worker:
        worker = Worker(env, *options, log=tmp_path / f"worker-{len(started) + 1}.log")
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.kill()
            print(f"--- {worker.log.name}\n{worker.logged()}")
        clean_broker(os.environ["REDIS_URL"])


@pytest.fixture
def last_month(schedule):  # noqa: F811  (the imported fixture)
    """Last month's report of a monthly schedule, its only due period, waiting to be built."""
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    schedule.starts_on = end.replace(day=1)
    schedule.save()
    return Report.objects.create(
        schedule=schedule, programme=schedule.programme, period_start=schedule.starts_on, period_end=end
    )


def ready(worker: Worker, timeout: float = 60) -> None:
    """Wait until a worker answers a ping (on the machine's Redis)."""
    assert app.send_task("coproduction.tasks.ping", ignore_result=False).get(timeout=timeout) == "pong"
    assert worker.alive()


def task_outcome(worker: Worker, task_id: str) -> str | None:
    """What a task returned, from the worker's log (None until it has succeeded)."""
    found = re.search(rf"\[{task_id}\] succeeded in [\d.]+s: '([^']*)'", worker.logged())
    return found and found[1]


def running_task_pid(task_id: str) -> int:
    """The pid of the pool child running the task, as the worker reports it."""
    for tasks in (app.control.inspect(timeout=2).active() or {}).values():
        for task in tasks:
            if task["id"] == task_id:
                return task["worker_pid"]
    raise AssertionError(f"no worker reports task {task_id} as running")


@contextmanager
def table_locked(model, mode: str = "ACCESS EXCLUSIVE"):
    """Another session holds a lock on the model's table, as a long migration or a runaway query
    would. In ACCESS EXCLUSIVE mode whoever reads the table waits: a report build reads "You said"
    items after it has claimed its report, so with them locked the build stays half way. In SHARE
    mode reads go on and writes wait."""
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {model._meta.db_table} IN {mode} MODE")
        yield
    finally:
        holder.rollback()
        holder.close()


def sessions_waiting_for_a_lock(sql_start: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query LIKE %s",
            [sql_start + "%"],
        )
        return cursor.fetchone()[0]
