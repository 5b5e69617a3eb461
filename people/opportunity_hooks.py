"""Dashboard panels and personal-data sections for opportunities and applications. Imported once,
by PeopleConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from coproduction.dashboard import register as register_panel
from coproduction.roles import Role
from people import (
    admin_opportunities,  # noqa: F401  (Django admin registrations)
    opportunity_tasks,  # noqa: F401  (Celery finds only tasks.py by itself)
    personal_data,
)
from people import services_opportunities as services  # noqa: F401  (registers the permission rules)
from people.models import Application, ApplicationAnswer, ApplicationDecision, EqualitySnapshot, Opportunity
from people.models.opportunities import CHARACTERISTICS


# Dashboard ----------------------------------------------------------------------------------------
@register_panel
def my_applications_panel(request):
    user = request.user
    if not user.has_role(Role.MEMBER) or user.is_superuser:
        return None
    applications = list(
        Application.objects.filter(applicant=user)
        .exclude(status=Application.Status.WITHDRAWN)
        .values_list("status", flat=True)
    )
    return {
        "template": "people/opportunities/panel_member.html",
        "order": 15,
        "waiting": sum(
            1
            for status in applications
            if status in {Application.Status.SUBMITTED, Application.Status.SHORTLISTED, Application.Status.WAITING_LIST}
        ),
        "total": len(applications),
    }


@register_panel
def applications_waiting_panel(request):
    user = request.user
    if not user.has_role(Role.STAFF):
        return None
    opportunities = Opportunity.objects.for_user(user)
    waiting = Application.objects.filter(opportunity__in=opportunities, status=Application.Status.SUBMITTED).count()
    open_count = opportunities.filter(status=Opportunity.Status.OPEN).count()
    return {
        "template": "people/opportunities/panel_staff.html",
        "order": 25,
        "waiting": waiting,
        "open_count": open_count,
    }


# Personal data ------------------------------------------------------------------------------------
def _when(value):
    return value.isoformat() if value else None


def export_applications(user) -> list:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("opportunity__project", "equality_snapshot")
        .prefetch_related("answers", "decisions")
        .order_by("submitted_at")
    )
    exported = []
    for application in applications:
        snapshot = getattr(application, "equality_snapshot", None)
        exported.append(
            {
                "opportunity": application.opportunity.title,
                "project": application.opportunity.project.name,
                "reference": str(application.reference),
                "status": application.get_status_display(),
                "applied": _when(application.submitted_at),
                "withdrawn": _when(application.withdrawn_at),
                "support_you_asked_for": application.access_needs,
                "answers": [{"question": a.question_text, "answer": a.answer} for a in application.answers.all()],
                "reason_for_the_latest_decision": application.decision_reason,
                "decisions": [
                    {"outcome": d.get_outcome_display(), "reason": d.reason, "when": _when(d.at)}
                    for d in application.decisions.all()
                ],
                # The copy of your equality answers taken when you applied (used only in totals).
                "equality_answers_when_you_applied": (
                    {name: getattr(snapshot, name) for name in CHARACTERISTICS} if snapshot else None
                ),
            }
        )
    return exported


# A decision must have a reason (a database rule), so an erased one says why it is gone.
ERASED_REASON = "Removed when the applicant's account was deleted."


def erase_applications(user) -> None:
    """Detach the equality copies (the totals stay, with no link to anyone) and blank what the
    person wrote and what was written about them. The application rows and their decisions (who
    decided what, when) stay, on the anonymous account; only money records keep their words."""
    applications = Application.objects.filter(applicant=user)
    EqualitySnapshot.objects.filter(application__in=applications).update(application=None)
    ApplicationAnswer.objects.filter(application__in=applications).update(answer="")
    ApplicationDecision.objects.filter(application__in=applications).update(reason=ERASED_REASON)
    applications.update(access_needs="", decision_reason="")


personal_data.register(
    "applications",
    title=_("Your applications"),
    export=export_applications,
    erase=erase_applications,
)
