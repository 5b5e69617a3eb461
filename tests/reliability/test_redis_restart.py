"""Tasks queued while no worker runs survive a restart of Redis run as production runs it (the
arguments docker-compose.yml gives redis-server): a worker started afterwards runs every one.

The test runs a Redis of its own on port 6390 with its data in a temporary folder; the machine's Redis
on 6379 is never stopped.
"""

import json
import subprocess
from pathlib import Path

import pytest
import redis
from django.conf import settings

from coproduction.celery import app
from tests.reporting.test_worker import emails, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PORT = 6390
URL = f"redis://127.0.0.1:{PORT}/0"


def production_redis_options() -> list[str]:
    """The redis-server arguments of docker-compose.yml's `redis` service."""
    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    [line] = [line for line in compose.splitlines() if line.strip().startswith("command:") and "redis-server" in line]
    command = json.loads(line.split("command:", 1)[1])  # a YAML flow list of quoted strings is JSON
    return command[command.index("redis-server") + 1 :]


class OwnRedis:
    def __init__(self, folder: Path, options: list[str]):
        self.command = ["redis-server", *options, "--port", str(PORT), "--bind", "127.0.0.1", "--dir", str(folder)]
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(URL)
        wait_until(lambda: self._answers(client), f"start redis on port {PORT}", timeout=20)
        client.close()

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def restart(self) -> None:
        """SIGTERM, as `docker-compose restart` sends: Redis saves what its persistence setting says, then exits."""
        self.process.terminate()
        self.process.wait(timeout=30)
        self.start()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def queued(self) -> int:
        client = redis.Redis.from_url(URL)
        try:
            return client.llen("celery")
        finally:
            client.close()


@pytest.fixture
def own_redis(tmp_path):
    """`own_redis(options)` starts a Redis on port 6390 with those options; killed at teardown."""
    started = []

    def start(options: list[str]) -> OwnRedis:
        folder = tmp_path / "redis"
        folder.mkdir()
        server = OwnRedis(folder, options)
        started.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in started:
            server.kill()


def queue_emails(count: int) -> None:
    """Queue emails on the test's own Redis, as the web process queues them."""
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        with app.connection_for_write(URL) as connection:
            queue = app.amqp.queues[app.conf.task_default_queue]
            for number in range(1, count + 1):
                app.send_task(
                    "coproduction.tasks.send_email",
                    kwargs={"to": ["alice@example.org"], "subject": f"Queued email {number}", "body": "Hello"},
                    connection=connection,
                    declare=[queue],  # a new Redis knows no queues yet
                )
    finally:
        app.conf.task_always_eager = eager


def test_production_redis_keeps_queued_tasks_through_a_restart(own_redis, workers, worker_env, folders):
    _, mail = folders
    options = production_redis_options()
    assert options[options.index("--appendonly") + 1] == "yes"
    server = own_redis(options)
    queue_emails(5)
    assert server.queued() == 5

    server.restart()
    assert server.queued() == 5
    workers({**worker_env, "REDIS_URL": URL}, "--pool=solo")
    wait_until(lambda: len(emails(mail)) >= 5, "send the five queued emails", timeout=60)
    subjects = sorted(line for message in emails(mail) for line in message.splitlines() if line.startswith("Subject:"))
    assert subjects == [f"Subject: Queued email {number}" for number in range(1, 6)]
    assert server.queued() == 0


def test_without_persistence_a_redis_restart_loses_queued_tasks(own_redis):
    """Why the setting matters: Redis as the machine's own runs (no persistence) drops the queue."""
    server = own_redis(["--appendonly", "no", "--save", ""])
    queue_emails(5)
    assert server.queued() == 5
    server.restart()
    assert server.queued() == 0
