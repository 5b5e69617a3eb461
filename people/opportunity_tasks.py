"""Scheduled jobs for opportunities. Thin: they call a service, and are safe to run twice."""

from celery import shared_task

from people import services_opportunities as services


@shared_task(name="people.opportunity_tasks.close_expired_opportunities", acks_late=True)
def close_expired_opportunities() -> int:
    """Daily, just after midnight (beat): close open opportunities whose closing date has passed."""
    return services.close_expired_opportunities()
