"""What reporting registers with the apps below it (imported once, by ReportingConfig.ready()):
dashboard panels, the member's personal-data section, and the "differences you made" provider on
the recognition page."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduction.dashboard import register as register_panel
from people import personal_data
from recognition import differences
from reporting.models import ReportSubscription, WeDid, YouSaid


# Dashboard ----------------------------------------------------------------------------------------
@register_panel
def overdue_actions_panel(request):
    """Staff: the "We did" actions they own that are overdue, and what is waiting for an answer."""
    user = request.user
    if not user.has_perm("reporting.produce_report") or user.is_superuser:
        return None
    overdue = WeDid.objects.overdue().filter(owner=user).select_related("programme").order_by("due_date")
    waiting = YouSaid.objects.unanswered().filter(programme__team_memberships__user=user).count()
    return {
        "template": "reporting/panels/staff.html",
        "order": 20,
        "overdue": list(overdue[:5]),
        "overdue_count": overdue.count(),
        "waiting": waiting,
    }


@register_panel
def my_you_said_panel(request):
    user = request.user
    if not user.has_perm("reporting.tell_us") or user.is_superuser:
        return None
    since = timezone.localdate() - timedelta(days=60)
    mine = YouSaid.objects.filter(member=user)
    return {
        "template": "reporting/panels/member.html",
        "order": 30,
        "recently_answered": mine.filter(answered_on__gte=since).count(),
        "total": mine.count(),
    }


# The recognition page: what changed because of what this member said -----------------------------
def member_differences(member) -> list:
    """Each of the member's "You said" items that has a "We did" (not the ones found not
    possible: those are on their "What you told us" page with the reason). One query."""
    items = (
        YouSaid.objects.filter(member=member, action__isnull=False)
        .exclude(action__status=WeDid.Status.NOT_POSSIBLE)
        .select_related("action", "programme", "project")
        .order_by("-answered_on", "-pk")
    )
    found = []
    for item in items:
        action = item.action
        did = (
            action.outcome
            if action.status == WeDid.Status.DONE
            else _("We will: %(action)s (%(status)s)")
            % {
                "action": action.action,
                "status": action.get_status_display().lower(),
            }
        )
        found.append(
            differences.Difference(
                said=item.text, did=did, project=item.about, on=action.completed_on or item.answered_on
            )
        )
    return found


differences.register(member_differences)


# Personal data ------------------------------------------------------------------------------------
def export_you_said(user) -> dict:
    items = YouSaid.objects.filter(member=user).select_related("action", "programme", "project").order_by("said_on")
    subscriptions = ReportSubscription.objects.filter(user=user).select_related("schedule__programme")
    return {
        "you_said": [
            {
                "said_on": item.said_on.isoformat(),
                "about": item.about,
                "theme": item.get_theme_display(),
                "what_you_said": item.text,
                "how_it_reached_us": item.get_source_display(),
                "we_did": item.action.action if item.action else None,
                "status": item.action.get_status_display() if item.action else None,
                "outcome": item.action.plain_outcome if item.action and item.action.is_finished else None,
            }
            for item in items
        ],
        "report_subscriptions": [str(s.schedule) for s in subscriptions],
    }


# What a person said is their own words (often about their health), so erasure takes it too.
ERASED_TEXT = "Removed when the person who said this deleted their account."


def erase_you_said(user) -> None:
    """The item stays, anonymously, with its theme, dates and "We did" (it counts in reports and
    actions answer it); what they said and the link to them go, and so do their report subscriptions.
    Reports already produced keep their own copies."""
    YouSaid.objects.filter(member=user).update(member=None, text=ERASED_TEXT, updated_at=timezone.now())
    ReportSubscription.objects.filter(user=user).delete()


personal_data.register(
    "you_said", title=gettext_lazy("What you told us and report emails"), export=export_you_said, erase=erase_you_said
)
