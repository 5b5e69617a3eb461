"""A mail server that answers "try again later" three times (as greylisting or a busy relay does):
the email still goes, once, on the fourth attempt, and each wait between attempts is longer than
the one before. The worker uses a small EMAIL_RETRY_BACKOFF so the test takes seconds, not minutes.
"""

import time
from itertools import pairwise

import pytest
from aiosmtpd.controller import Controller

from coproduction.emails import queue_email
from tests.reliability.conftest import ready
from tests.reporting.test_worker import drain, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BACKOFF = 1
PORT = 8025


class RefusesAtFirst:
    """An SMTP server that refuses the first few attempts with 451, then accepts."""

    def __init__(self, refusals: int):
        self.refusals = refusals
        self.attempts: list[float] = []  # when each one came
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts.append(time.monotonic())
        if len(self.attempts) <= self.refusals:
            return "451 4.7.1 Please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.append(envelope.content.decode())
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_server():
    handler = RefusesAtFirst(refusals=3)
    controller = Controller(handler, hostname="127.0.0.1", port=PORT)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def test_an_email_refused_three_times_goes_once_after_growing_waits(mail_server, workers, worker_env):
    env = {**worker_env, "EMAIL_URL": f"smtp://127.0.0.1:{PORT}", "EMAIL_RETRY_BACKOFF": str(BACKOFF)}
    ready(workers(env, "--pool=solo"))
    queue_email(to="alice@example.org", subject="Your involvement was approved", body="Thank you for Tuesday.")

    wait_until(lambda: mail_server.delivered, "deliver the email", timeout=30)
    drain()
    [message] = mail_server.delivered
    assert "Subject: Your involvement was approved" in message
    assert len(mail_server.attempts) == 4
    waits = [later - earlier for earlier, later in pairwise(mail_server.attempts)]
    for retry, wait in enumerate(waits):
        # The backoff doubles each time, stretched by up to a half at random (plus a little for the work).
        assert BACKOFF * 2**retry <= wait < BACKOFF * 2**retry * 1.5 + 1
    assert waits[0] < waits[1] < waits[2]
