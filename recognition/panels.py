"""Dashboard panels: a member's recognition, staff's approvals waiting, finance's payments."""

from django.db.models import Count, Q, Sum

from coproduction.dashboard import register
from recognition.access import can
from recognition.models import ExpenseClaim, ExpenseItem, InvolvementLog, Reward
from recognition.money import ZERO, hours


@register
def member_recognition_panel(request):
    user = request.user
    if not can(user, "recognition.see_my_recognition"):
        return None
    counts = InvolvementLog.objects.filter(member=user).aggregate(
        minutes=Sum("minutes", filter=Q(status=InvolvementLog.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=InvolvementLog.Status.WAITING)),
        queried=Count("pk", filter=Q(status=InvolvementLog.Status.QUERIED)),
    )
    return {
        "template": "recognition/panels/member.html",
        "order": 20,
        "hours": hours(counts["minutes"] or 0),
        "waiting": counts["waiting"],
        "queried": counts["queried"],
    }


@register
def staff_approvals_panel(request):
    user = request.user
    if not can(user, "recognition.see_approvals"):
        return None
    claims = (
        ExpenseClaim.objects.filter(
            status=ExpenseClaim.Status.SUBMITTED, project__programme__team_memberships__user=user
        )
        .exclude(member=user)
        .count()
    )
    return {
        "template": "recognition/panels/staff.html",
        "order": 15,
        "logs": InvolvementLog.objects.waiting_for(user).count(),
        "claims": claims,
    }


@register
def finance_payments_panel(request):
    if not can(request.user, "recognition.manage_payments"):
        return None
    from recognition.summaries import payment_clock

    rewards = Reward.objects.payable().filter(batch__isnull=True).aggregate(total=Sum("amount"))["total"] or ZERO
    items = (
        ExpenseItem.objects.filter(status=ExpenseItem.Status.APPROVED, batch__isnull=True).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )
    return {
        "template": "recognition/panels/finance.html",
        "order": 10,
        "total": rewards + items,
        "overdue": payment_clock()["overdue_count"],
    }
