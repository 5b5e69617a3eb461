"""Scheduled jobs for programmes. Thin: they call a service, and are safe to run twice."""

from celery import shared_task

from programmes import champions


@shared_task(name="programmes.tasks.review_champion_commitments", acks_late=True)
def review_champion_commitments() -> dict:
    """Daily (beat, see migration 0002): review-date reminders a month ahead; lapse overdue commitments."""
    return champions.review_commitments()
