"""Scheduled and queued jobs for reports. Thin: they take ids, call a service, and are safe to run
twice (see reporting/services.py for how each report is produced exactly once)."""

from celery import shared_task

from reporting import services


@shared_task(name="reporting.tasks.enqueue_due_reports", acks_late=True)
def enqueue_due_reports() -> dict:
    """Beat (see migration 0002): make the reports that are due and send them to the workers.
    Catches up any period missed while the broker or beat was down."""
    return services.enqueue_due_reports()


@shared_task(name="reporting.tasks.produce_report", acks_late=True, reject_on_worker_lost=True)
def produce_report(report_id: int) -> str:
    """Produce one report (HTML, PDF, CSV) and email it once."""
    return services.produce_report(report_id=report_id)
