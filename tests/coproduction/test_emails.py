import pytest
from django.db import transaction

from coproduction.emails import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_email_is_sent_only_after_the_transaction_commits(mailoutbox):
    with transaction.atomic():
        queue_email(to="someone@example.org", subject="Hello", body="Body")
        assert mailoutbox == []
    assert [m.subject for m in mailoutbox] == ["Hello"]


def test_no_email_when_the_transaction_rolls_back(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="someone@example.org", subject="Hello", body="Body")
        raise RuntimeError("the change failed")
    assert mailoutbox == []
