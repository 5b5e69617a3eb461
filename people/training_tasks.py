"""Scheduled jobs for training. Thin: they call a service, and are safe to run twice."""

from celery import shared_task

from people import training as services


@shared_task(name="people.training_tasks.send_training_reminders", acks_late=True)
def send_training_reminders() -> dict:
    """Daily (beat): email people 30 days before a training record expires, and their programme
    leads when a required course lapses. Each record's emails go once, however often this runs."""
    return services.send_training_reminders()
