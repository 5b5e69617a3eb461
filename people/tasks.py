"""Scheduled jobs for profiles and data rights. Thin: they call a service, and are safe to run twice.

(Opportunity jobs live in people/opportunity_tasks.py.)
"""

from celery import shared_task

from people import services_profiles


@shared_task(name="people.tasks.erase_due_accounts", acks_late=True)
def erase_due_accounts() -> int:
    """Daily (beat): anonymise people whose 14-day cooling-off period is over. Returns how many."""
    return services_profiles.erase_due_accounts()
