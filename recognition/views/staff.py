"""Staff: what is waiting for me, decisions on time and costs, corrections, attendance, totals."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduction.roles import Role
from programmes.models import InvolvementPoint, Participant, Programme, TeamMembership
from recognition import people_data, services, summaries
from recognition.access import (
    item_for_user,
    log_for_user,
    point_for_user,
    project_for_user,
    require,
    reward_for_user,
)
from recognition.forms import AttendanceForm, CorrectRewardForm, DecideItemForm, DecideLogForm
from recognition.models import InvolvementLog, Reward
from recognition.services import RecognitionError


def _approvals_crumbs():
    return [(_("Approvals"), reverse("recognition:approvals"))]


def approvals(request):
    require(request.user, "recognition.see_approvals")
    return render(request, "recognition/approvals.html", summaries.approvals_for(request.user))


def log_decide(request, public_id):
    log = log_for_user(request.user, public_id, change="recognition.decide_log")
    if not log.is_open:
        messages.info(request, _("A decision has already been made about this time."))
        return redirect("recognition:approvals")
    form = DecideLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == form.CONFIRM:
                reward = services.confirm_log(log=log, by=request.user, request=request)
                messages.success(request, _("Time confirmed. The reward is £%(amount)s.") % {"amount": reward.amount})
            elif decision == form.QUERY:
                services.query_log(log=log, by=request.user, reason=reason, request=request)
                messages.success(request, _("Your question has been sent to %(name)s.") % {"name": log.member})
            else:
                services.reject_log(log=log, by=request.user, reason=reason, request=request)
                messages.success(
                    request, _("The time is not confirmed. %(name)s has been told why.") % {"name": log.member}
                )
        except RecognitionError as error:
            messages.error(request, str(error))
        return redirect("recognition:approvals")
    level, card, price = services.price_log(log)
    return render(
        request,
        "recognition/log_decide.html",
        {"form": form, "log": log, "level": level, "card": card, "price": price, "breadcrumbs": _approvals_crumbs()},
    )


def item_decide(request, public_id):
    item = item_for_user(request.user, public_id, change="recognition.decide_claim")
    claim = item.claim
    if item.status != item.Status.PENDING or claim.status != claim.Status.SUBMITTED:
        messages.info(request, _("A decision has already been made about this cost."))
        return redirect("recognition:claim_detail", claim.public_id)
    form = DecideItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == form.APPROVE
        try:
            services.decide_expense_item(
                item=item, by=request.user, approve=approve, reason=form.cleaned_data["reason"], request=request
            )
        except RecognitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Cost approved.") if approve else _("Cost not approved. The member will be told why.")
            )
        return redirect("recognition:claim_detail", claim.public_id)
    return render(
        request,
        "recognition/item_decide.html",
        {
            "form": form,
            "item": item,
            "claim": claim,
            "receipts": list(item.receipts.all()),
            "breadcrumbs": [
                *_approvals_crumbs(),
                (_("Expense claim"), reverse("recognition:claim_detail", args=[claim.public_id])),
            ],
        },
    )


def reward_correct(request, public_id):
    reward = reward_for_user(request.user, public_id, change="recognition.correct_reward")
    project = reward.log.project
    back = reverse("recognition:project_involvement", args=[project.public_id])
    if reward.entry == Reward.Entry.REVERSAL or Reward.objects.filter(reverses=reward).exists():
        messages.info(request, _("This line has already been corrected."))
        return redirect(back)
    initial = {"hours": reward.minutes // 60, "minutes": reward.minutes % 60, "choice": reward.choice}
    form = CorrectRewardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = data["action"] == form.CHANGE
        try:
            services.correct_reward(
                reward=reward,
                by=request.user,
                reason=data["reason"],
                minutes=data.get("total_minutes") if change else None,
                choice=data.get("choice") if change else None,
                request=request,
            )
        except RecognitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Reward corrected. The original line, its reversal and any new line are all kept.")
            )
        return redirect(back)
    return render(
        request,
        "recognition/reward_correct.html",
        {
            "form": form,
            "reward": reward,
            "breadcrumbs": [(_("Involvement in %(project)s") % {"project": project.name}, back)],
        },
    )


def attendance(request, public_id):
    """Staff say who came to an involvement point. Access needs are flagged next to each name."""
    point = point_for_user(request.user, public_id, perm="recognition.record_attendance")
    participants = list(
        Participant.objects.taking_part()
        .filter(project=point.project)
        .select_related("member")
        .order_by("member__name")
    )
    people = [participant.member for participant in participants]
    logged = {
        log.member_id: log
        for log in InvolvementLog.objects.filter(involvement_point=point)
        .exclude(status=InvolvementLog.Status.REJECTED)
        .order_by("created_at")
    }
    needs = people_data.access_needs_for(people)
    # Known from the lists above: asking the queryset whether it is empty would fetch it twice.
    choosable_ids = [p.pk for p in people if p.pk not in logged and p.pk != request.user.pk]
    choosable = get_user_model().objects.filter(pk__in=choosable_ids)
    form = AttendanceForm(request.POST or None, people=choosable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.record_attendance(
                point=point,
                by=request.user,
                members=list(data["people"]),
                activity=data["activity"],
                minutes=data["total_minutes"],
                request=request,
            )
        except RecognitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance recorded: %(count)d person's time is confirmed.",
                    "Attendance recorded: %(count)d people's time is confirmed.",
                    len(result.created),
                )
                % {"count": len(result.created)},
            )
            return redirect("recognition:project_involvement", point.project.public_id)
    rows = [
        {
            "person": person,
            "needs": (needs or {}).get(person.pk),
            "log": logged.get(person.pk),
            "is_me": person.pk == request.user.pk,
        }
        for person in people
    ]
    return render(
        request,
        "recognition/attendance.html",
        {
            "form": form,
            "point": point,
            "rows": rows,
            "needs_unavailable": needs is None,
            "can_record": bool(choosable_ids),
            "breadcrumbs": [
                (
                    _("Involvement in %(project)s") % {"project": point.project.name},
                    reverse("recognition:project_involvement", args=[point.project.public_id]),
                )
            ],
        },
    )


def project_involvement(request, public_id):
    """One project's time, rewards and corrections, with its involvement points' attendance."""
    project = project_for_user(request.user, public_id)
    rewards = Reward.objects.select_related("batch").order_by("created_at")
    logs = list(
        InvolvementLog.objects.filter(project=project)
        .select_related("member", "involvement_point")
        .prefetch_related(Prefetch("rewards", queryset=rewards, to_attr="reward_lines"))
        .order_by("-date", "-created_at")
    )
    for log in logs:
        reversed_ids = {line.reverses_id for line in log.reward_lines if line.reverses_id}
        for line in log.reward_lines:
            line.was_reversed = line.pk in reversed_ids
    points = list(
        InvolvementPoint.objects.filter(project=project)
        .exclude(status=InvolvementPoint.Status.CANCELLED)
        .select_related("involvement_level")
        .order_by("planned_date")
    )
    totals = summaries.totals_for(Programme.objects.filter(pk=project.programme_id))[0]
    project_totals = next(row for row in totals["projects"] if row["project"].pk == project.pk)
    return render(
        request,
        "recognition/project_involvement.html",
        {
            "project": project,
            "logs": logs,
            "points": points,
            "totals": project_totals,
            "today": timezone.localdate(),
            "breadcrumbs": [
                (_("Involvement totals"), reverse("recognition:totals")),
                (project.programme.name, reverse("programmes:detail", args=[project.programme.public_id])),
            ],
        },
    )


def totals(request):
    require(request.user, "recognition.see_totals")
    programmes = Programme.objects.for_user(request.user)
    team_ids = set()
    if request.user.has_role(Role.STAFF):
        team_ids = set(TeamMembership.objects.filter(user=request.user).values_list("programme_id", flat=True))
    return render(
        request, "recognition/totals.html", {"programmes": summaries.totals_for(programmes), "team_ids": team_ids}
    )
