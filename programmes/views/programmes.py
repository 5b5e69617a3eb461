from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes import figures, services
from programmes.access import programme_for_user
from programmes.forms import ProgrammeForm, TeamMemberForm
from programmes.models import PartnerOrganisation, Programme, Project, TeamMembership


def _programme_crumbs(programme=None):
    crumbs = [(_("Programmes"), reverse("programmes:list"))]
    if programme is not None:
        crumbs.append((programme.name, reverse("programmes:detail", args=[programme.public_id])))
    return crumbs


def programme_list(request):
    # Staff see their own programmes; administrators and leaders see all.
    if not request.user.has_perm("programmes.list_programmes"):
        raise PermissionDenied
    programmes = (
        Programme.objects.for_user(request.user)
        .select_related("partner")
        .annotate(
            project_count=Count("projects", filter=~Q(projects__status=Project.Status.CANCELLED), distinct=True),
            team_size=Count("team_memberships", distinct=True),
        )
    )
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": programmes, "can_create": request.user.has_perm("programmes.add_programme")},
    )


def programme_create(request):
    if not request.user.has_perm("programmes.add_programme"):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = services.create_programme(by=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Programme created. You are its lead."))
        return redirect("programmes:detail", programme.public_id)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "title": _("Create a programme"), "breadcrumbs": _programme_crumbs()},
    )


def programme_detail(request, public_id):
    programme = programme_for_user(request.user, public_id)
    projects = programme.projects.select_related("lead").with_counts().order_by("name")
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "projects": projects,
            "figures": figures.programme_figures(programme),
            "team": programme.team_memberships.select_related("user"),
            "can_change": request.user.has_perm("programmes.change_programme", programme),
            "breadcrumbs": _programme_crumbs(),
        },
    )


def programme_edit(request, public_id):
    programme = programme_for_user(request.user, public_id, change=True)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        services.update_record(record=programme, by=request.user, fields=form.cleaned_data, request=request)
        messages.success(request, _("Programme details saved."))
        return redirect("programmes:detail", programme.public_id)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "title": _("Change programme details"), "breadcrumbs": _programme_crumbs(programme)},
    )


def programme_team(request, public_id):
    programme = programme_for_user(request.user, public_id)
    can_change = request.user.has_perm("programmes.change_programme", programme)
    form = TeamMemberForm(request.POST or None, programme=programme)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_team_member(
                    programme=programme,
                    user=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                    request=request,
                )
            except services.PlanError as error:
                form.add_error("person", str(error))
            else:
                messages.success(request, _("%(name)s added to the team.") % {"name": form.cleaned_data["person"]})
                return redirect("programmes:team", programme.public_id)
    return render(
        request,
        "programmes/programme_team.html",
        {
            "programme": programme,
            "team": programme.team_memberships.select_related("user"),
            "form": form if can_change else None,
            "can_change": can_change,
            "breadcrumbs": _programme_crumbs(programme),
        },
    )


@require_POST
def team_member_remove(request, public_id, member_id):
    programme = programme_for_user(request.user, public_id, change=True)
    membership = get_object_or_404(TeamMembership, programme=programme, user__public_id=member_id)
    try:
        services.remove_team_member(membership=membership, by=request.user, request=request)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed from the team."))
    return redirect("programmes:team", programme.public_id)


def partner_list(request):
    """Partner organisations, for administrators; they are added and changed in the Django admin."""
    if not request.user.has_perm("programmes.manage_partners"):
        raise PermissionDenied
    partners = PartnerOrganisation.objects.annotate(programme_count=Count("programmes"))
    return render(request, "programmes/partner_list.html", {"partners": partners})
