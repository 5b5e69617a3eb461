"""Projects, their co-production plans (involvement points, ratings) and participants."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction import access_needs
from programmes import figures, services
from programmes.access import programme_for_user, project_for_user
from programmes.forms import (
    CancelPointForm,
    InvolvementPointForm,
    ParticipantInviteForm,
    ParticipationResponseForm,
    ProjectForm,
    RatingForm,
)
from programmes.models import InvolvementPoint, LadderRating, Participant, Stage


def _project_crumbs(project):
    return [
        (_("Programmes"), reverse("programmes:list")),
        (project.programme.name, reverse("programmes:detail", args=[project.programme.public_id])),
        (project.name, reverse("programmes:project_detail", args=[project.public_id])),
    ]


def project_create(request, public_id):
    programme = programme_for_user(request.user, public_id, change=True)
    form = ProjectForm(request.POST or None, programme=programme, initial={"lead": request.user})
    if request.method == "POST" and form.is_valid():
        project = services.create_project(programme=programme, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Project created. Now plan where people with lived experience will shape it."))
        return redirect("programmes:project_detail", project.public_id)
    crumbs = [
        (_("Programmes"), reverse("programmes:list")),
        (programme.name, reverse("programmes:detail", args=[programme.public_id])),
    ]
    return render(
        request, "programmes/project_form.html", {"form": form, "title": _("Add a project"), "breadcrumbs": crumbs}
    )


def project_detail(request, public_id):
    """The project and its co-production plan, with the plan's weak spots said plainly."""
    project = project_for_user(request.user, public_id)
    points = list(
        project.involvement_points.annotate(
            achieved=Avg("ratings__level"),
            rating_count=Count("ratings"),
        ).order_by("planned_date", "title")
    )
    stages = [{"label": stage.label, "points": [p for p in points if p.stage == stage]} for stage in Stage]
    participants = list(project.participants.select_related("member").order_by("member__name"))
    # Access needs are flagged to staff on the project so they can plan, and to nobody else.
    needs = access_needs.for_project(request.user, project, [p.member_id for p in participants])
    show_access_needs = needs is not None
    for participant in participants:
        participant.access_needs = (needs or {}).get(participant.member_id)
    my_ratings = set(
        LadderRating.objects.filter(involvement_point__project=project, rated_by=request.user).values_list(
            "involvement_point_id", flat=True
        )
    )
    return render(
        request,
        "programmes/project_detail.html",
        {
            "project": project,
            "stages": stages,
            "point_count": len(points),
            "weaknesses": figures.plan_weaknesses(project, points),
            "participants": participants,
            "show_access_needs": show_access_needs,
            "my_ratings": my_ratings,
            "can_change": request.user.has_perm("programmes.change_project", project),
            "breadcrumbs": _project_crumbs(project)[:2],
        },
    )


def project_edit(request, public_id):
    project = project_for_user(request.user, public_id, change=True)
    form = ProjectForm(request.POST or None, instance=project, programme=project.programme)
    if request.method == "POST" and form.is_valid():
        services.update_record(record=project, by=request.user, fields=form.cleaned_data, request=request)
        messages.success(request, _("Project details saved."))
        return redirect("programmes:project_detail", project.public_id)
    return render(
        request,
        "programmes/project_form.html",
        {"form": form, "title": _("Change project details"), "breadcrumbs": _project_crumbs(project)},
    )


def _save_point(request, project, point, title):
    form = InvolvementPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        services.save_involvement_point(point=form.save(commit=False), by=request.user, request=request)
        messages.success(request, _("Involvement point saved."))
        return redirect("programmes:project_detail", project.public_id)
    return render(
        request,
        "programmes/point_form.html",
        {"form": form, "title": title, "project": project, "breadcrumbs": _project_crumbs(project)},
    )


def point_create(request, public_id):
    project = project_for_user(request.user, public_id, change=True)
    return _save_point(request, project, InvolvementPoint(project=project), _("Add an involvement point"))


def _point_for_user(user, public_id, *, change=False) -> InvolvementPoint:
    point = InvolvementPoint.objects.filter(public_id=public_id).select_related("project").first()
    if point is None:
        raise Http404
    point.project = project_for_user(user, point.project.public_id, change=change)
    return point


def point_edit(request, public_id):
    point = _point_for_user(request.user, public_id, change=True)
    if point.status != InvolvementPoint.Status.PLANNED:
        messages.error(request, _("Only a planned involvement point can be changed."))
        return redirect("programmes:project_detail", point.project.public_id)
    return _save_point(request, point.project, point, _("Change involvement point"))


@require_POST
def point_happened(request, public_id):
    point = _point_for_user(request.user, public_id, change=True)
    try:
        services.mark_point_happened(point=point, by=request.user, request=request)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as happened. Now rate the rung it actually reached."))
    return redirect("programmes:project_detail", point.project.public_id)


def point_cancel(request, public_id):
    point = _point_for_user(request.user, public_id, change=True)
    form = CancelPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_point(point=point, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Involvement point cancelled."))
        return redirect("programmes:project_detail", point.project.public_id)
    return render(
        request,
        "programmes/point_cancel.html",
        {"form": form, "point": point, "breadcrumbs": _project_crumbs(point.project)},
    )


def point_rate(request, public_id):
    """Staff on the project, and members who take part in it, rate the rung actually reached."""
    point = InvolvementPoint.objects.filter(public_id=public_id).select_related("project__programme").first()
    if point is None:
        raise Http404
    user = request.user
    if user.has_perm("programmes.change_project", point.project):
        rater_kind, back = (
            LadderRating.RaterKind.STAFF,
            reverse("programmes:project_detail", args=[point.project.public_id]),
        )
    elif user.has_perm("programmes.rate_as_participant", point.project):
        rater_kind, back = LadderRating.RaterKind.PARTICIPANT, reverse("programmes:my_projects")
    else:
        project_for_user(user, point.project.public_id, change=True)  # raises 404 or 403
        raise PermissionDenied
    existing = LadderRating.objects.filter(involvement_point=point, rated_by=user).first()
    initial = {"level": existing.level, "comment": existing.comment} if existing else {}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_point(point=point, by=user, rater_kind=rater_kind, **form.cleaned_data)
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you. Your rating is saved."))
        return redirect(back)
    return render(request, "programmes/point_rate.html", {"form": form, "point": point, "back": back})


def participant_invite(request, public_id):
    project = project_for_user(request.user, public_id, change=True)
    form = ParticipantInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_participant(
                project=project,
                member=form.member,
                by=request.user,
                message=form.cleaned_data["message"],
                request=request,
            )
        except services.PlanError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent. They will appear as taking part once they accept."))
            return redirect("programmes:project_detail", project.public_id)
    return render(
        request,
        "programmes/participant_invite.html",
        {"form": form, "project": project, "breadcrumbs": _project_crumbs(project)},
    )


def my_projects(request):
    """A member's projects, invitations waiting for an answer, and upcoming involvement points."""
    if not request.user.has_perm("programmes.see_my_projects"):
        raise PermissionDenied
    today = timezone.localdate()
    upcoming = InvolvementPoint.objects.filter(status=InvolvementPoint.Status.PLANNED, planned_date__gte=today)
    to_rate = InvolvementPoint.objects.filter(status=InvolvementPoint.Status.HAPPENED).exclude(
        ratings__rated_by=request.user
    )
    participations = (
        Participant.objects.filter(member=request.user)
        .exclude(status=Participant.Status.DECLINED)
        .select_related("project__programme")
        .prefetch_related(
            Prefetch("project__involvement_points", queryset=upcoming, to_attr="upcoming_points"),
            Prefetch("project__involvement_points", queryset=to_rate, to_attr="points_to_rate"),
        )
        .order_by("project__name")
    )
    return render(
        request,
        "programmes/my_projects.html",
        {
            "invited": [p for p in participations if p.status == Participant.Status.INVITED],
            "taking_part": [p for p in participations if p.status == Participant.Status.ACTIVE],
        },
    )


def participation_respond(request, public_id):
    participant = (
        Participant.objects.filter(public_id=public_id, member=request.user)
        .select_related("project__programme", "invited_by")
        .first()
    )
    if participant is None:
        raise Http404
    if participant.status != Participant.Status.INVITED:
        messages.info(request, _("You have already answered this invitation."))
        return redirect("programmes:my_projects")
    form = ParticipationResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "yes"
        try:
            services.respond_to_invitation(participant=participant, by=request.user, accept=accept, request=request)
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Thank you. You are now taking part.") if accept else _("Thank you for letting us know.")
            )
        return redirect("programmes:my_projects")
    return render(request, "programmes/participation_respond.html", {"form": form, "participant": participant})
