"""Step 2, open and fair recruitment: opportunities, applying, fair selection and reach.

Each view: scoped fetch (404 if the person may not see it, 403 if they may see but not do this) →
bind form → valid? → call the service in people/services_opportunities.py → message → redirect.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction import audit, plain_english
from people import services_opportunities as services
from people.forms_opportunities import (
    ApplyForm,
    DecisionForm,
    OpportunityFilterForm,
    OpportunityForm,
    PopulationUploadForm,
)
from people.models import (
    AccessNeeds,
    Application,
    ApplicationDecision,
    EqualitySnapshot,
    LivedExperienceTag,
    Opportunity,
    PopulationFigure,
)
from people.models.opportunities import CLOSING_SOON_DAYS
from programmes.access import programme_for_user, project_for_user
from programmes.models import Project, TeamMembership

PER_PAGE = 10
Status = Opportunity.Status


# Scoped fetches ---------------------------------------------------------------------------------


def _opportunity_queryset(user):
    queryset = Opportunity.objects.select_related("project__programme__partner")
    if user.is_authenticated:
        queryset = queryset.annotate(
            user_is_on_team=Exists(TeamMembership.objects.filter(programme=OuterRef("project__programme"), user=user))
        )
    return queryset


def _opportunity_for(user, public_id, perm: str, *, change: str | None = None) -> Opportunity:
    """An opportunity this person may work on with `perm` (404 otherwise), and `change` (403)."""
    opportunity = _opportunity_queryset(user).filter(public_id=public_id).first()
    if opportunity is None or not user.is_authenticated:
        raise Http404
    opportunity.project.programme.user_is_on_team = opportunity.user_is_on_team
    if not user.has_perm(perm, opportunity):
        # Leaders may see every programme (read-only): they are told "not allowed", not "not found".
        if user.has_perm("programmes.view_project", opportunity.project):
            raise PermissionDenied
        raise Http404
    if change and not user.has_perm(change, opportunity):
        raise PermissionDenied
    return opportunity


def _public_opportunity(user, public_id) -> Opportunity:
    """A published opportunity, or a draft for the people who may change it (a preview)."""
    opportunity = _opportunity_queryset(user).filter(public_id=public_id).first()
    if opportunity is None:
        raise Http404
    if user.is_authenticated:
        opportunity.project.programme.user_is_on_team = opportunity.user_is_on_team
    if opportunity.status == Status.DRAFT and not (
        user.is_authenticated and user.has_perm("people.change_opportunity", opportunity)
    ):
        raise Http404
    return opportunity


def _my_application(user, public_id) -> Application:
    application = (
        Application.objects.filter(public_id=public_id, applicant=user)
        .select_related("opportunity__project__programme")
        .first()
        if user.is_authenticated
        else None
    )
    if application is None:
        raise Http404
    return application


def _crumbs(opportunity=None, *, staff=False):
    if staff:
        crumbs = [(_("Opportunities you manage"), reverse("people:opportunity_manage"))]
    else:
        crumbs = [(_("Opportunities"), reverse("people:opportunity_list"))]
    if opportunity is not None:
        crumbs.append((opportunity.title, reverse("people:opportunity_detail", args=[opportunity.public_id])))
    return crumbs


# Public list and detail -------------------------------------------------------------------------


@login_not_required
def opportunity_list(request):
    topics = list(LivedExperienceTag.objects.filter(opportunities__status=Status.OPEN).distinct().order_by("name"))
    form = OpportunityFilterForm(request.GET or None, topics=topics)
    chosen = form.filters()
    opportunities = Opportunity.objects.open().select_related("project__programme__partner")
    if chosen.get("topic"):
        opportunities = opportunities.filter(topics__slug=chosen["topic"])
    if chosen.get("where") == "in_person":
        opportunities = opportunities.filter(format__in=[Opportunity.Format.IN_PERSON, Opportunity.Format.BOTH])
    elif chosen.get("where") == "online":
        opportunities = opportunities.filter(format__in=[Opportunity.Format.ONLINE, Opportunity.Format.BOTH])
    if chosen.get("paid"):
        opportunities = opportunities.filter(is_paid=True)
    if chosen.get("closing_soon"):
        opportunities = opportunities.filter(closing_date__lte=timezone.localdate() + timedelta(days=CLOSING_SOON_DAYS))
    opportunities = opportunities.prefetch_related(
        Prefetch("topics", queryset=LivedExperienceTag.objects.order_by("name"))
    ).order_by("closing_date", "title", "pk")
    page = Paginator(opportunities, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/opportunities/list.html",
        {
            "form": form,
            "page": page,
            "opportunities": page.object_list,
            "filtered": bool(chosen),
            "query": query.urlencode(),
        },
    )


@login_not_required
def opportunity_detail(request, public_id):
    opportunity = _public_opportunity(request.user, public_id)
    easy_read = request.GET.get("version") == "easy-read" and bool(opportunity.easy_read)
    user = request.user
    my_application = None
    if user.is_authenticated:
        my_application = Application.objects.filter(opportunity=opportunity, applicant=user).first()
    can_change = user.is_authenticated and user.has_perm("people.change_opportunity", opportunity)
    return render(
        request,
        "people/opportunities/detail.html",
        {
            "opportunity": opportunity,
            "easy_read": easy_read,
            "topics": list(opportunity.topics.order_by("name")),
            "questions": list(opportunity.questions.all()),
            "my_application": my_application,
            "can_change": can_change,
            "can_see_applications": user.is_authenticated and user.has_perm("people.view_applications", opportunity),
            "can_see_reach": user.is_authenticated and user.has_perm("people.view_opportunity_reach", opportunity),
            "application_count": opportunity.applications.active().count() if can_change else None,
            "breadcrumbs": _crumbs(staff=can_change and opportunity.status == Status.DRAFT),
        },
    )


# Staff: managing opportunities ------------------------------------------------------------------


def opportunity_manage(request):
    user = request.user
    if not user.has_perm("people.manage_opportunities"):
        raise PermissionDenied
    opportunities = (
        Opportunity.objects.for_user(user)
        .select_related("project__programme")
        .annotate(
            application_count=Count("applications", filter=~Q(applications__status=Application.Status.WITHDRAWN)),
            waiting_count=Count("applications", filter=Q(applications__status=Application.Status.SUBMITTED)),
        )
        .order_by("status", "closing_date", "title")
    )
    projects = (
        Project.objects.for_user(user)
        .filter(status__in=[Project.Status.ACTIVE, Project.Status.PAUSED])
        .select_related("programme")
        .order_by("programme__name", "name")
    )
    return render(
        request,
        "people/opportunities/manage.html",
        {"opportunities": opportunities, "projects": projects},
    )


def _opportunity_form_page(request, *, form, opportunity, project, title, scores=None):
    return render(
        request,
        "people/opportunities/form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "project": project,
            "title": title,
            "scores": scores,
            "breadcrumbs": _crumbs(opportunity if opportunity.pk else None, staff=True),
        },
    )


def _scores_for(texts: dict) -> list[dict]:
    labels = {
        "what_you_will_do": _("What you will do"),
        "time_commitment": _("Time needed"),
        "selection_criteria": _("How we will choose people"),
        "easy_read": _("Easy Read version"),
    }
    return [
        {"field": name, "label": labels[name], "score": result}
        for name, result in plain_english.score_fields(**texts).items()
        if result.years is not None
    ]


def _save_opportunity(request, *, opportunity, project, title):
    form = OpportunityForm(request.POST or None, instance=opportunity)
    scores = None
    if request.method == "POST" and form.is_valid():
        if "check" in request.POST:
            # "Check reading age": score what was typed, save nothing.
            scores = _scores_for(form.plain_text())
            return _opportunity_form_page(
                request, form=form, opportunity=opportunity, project=project, title=title, scores=scores
            )
        try:
            saved = services.save_opportunity(
                opportunity=form.save(commit=False),
                by=request.user,
                questions=form.cleaned_data.get("questions"),
                topics=form.cleaned_data["topics"],
                request=request,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except services.OpportunityError as error:
            messages.error(request, str(error))
            return redirect("people:opportunity_detail", opportunity.public_id)
        else:
            messages.success(request, _("Saved. Check the reading age below, then publish when you are ready."))
            return redirect(reverse("people:opportunity_edit", args=[saved.public_id]) + "#reading-age")
    elif request.method == "GET" and opportunity.pk:
        scores = _scores_for(
            {
                name: getattr(opportunity, name)
                for name in ("what_you_will_do", "time_commitment", "selection_criteria", "easy_read")
            }
        )
    return _opportunity_form_page(
        request, form=form, opportunity=opportunity, project=project, title=title, scores=scores
    )


def opportunity_create(request, public_id):
    project = project_for_user(request.user, public_id, change=True)
    if not request.user.has_perm("people.add_opportunity", project):
        raise PermissionDenied
    return _save_opportunity(
        request, opportunity=Opportunity(project=project), project=project, title=_("Add an opportunity")
    )


def opportunity_edit(request, public_id):
    opportunity = _opportunity_for(request.user, public_id, "people.change_opportunity")
    if opportunity.status in {Status.CLOSED, Status.FILLED}:
        messages.info(request, _("This opportunity is closed, so it cannot be changed."))
        return redirect("people:opportunity_detail", opportunity.public_id)
    return _save_opportunity(
        request, opportunity=opportunity, project=opportunity.project, title=_("Change opportunity")
    )


def _state_change(request, public_id, step, done_message):
    opportunity = _opportunity_for(request.user, public_id, "people.change_opportunity")
    try:
        step(opportunity=opportunity, by=request.user, request=request)
    except services.OpportunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect("people:opportunity_detail", opportunity.public_id)


@require_POST
def opportunity_publish(request, public_id):
    return _state_change(
        request, public_id, services.publish, _("Published. Anyone can now read it, and members can apply.")
    )


@require_POST
def opportunity_close(request, public_id):
    return _state_change(request, public_id, services.close, _("Closed. Nobody else can apply."))


@require_POST
def opportunity_fill(request, public_id):
    return _state_change(request, public_id, services.mark_filled, _("Marked as filled."))


# Members: applying ------------------------------------------------------------------------------


def apply(request, public_id):
    user = request.user
    opportunity = _public_opportunity(user, public_id)
    # As written, without the superuser shortcut: applying is for members, not administrators.
    if not rules.has_perm("people.apply", user):
        raise PermissionDenied
    existing = Application.objects.filter(opportunity=opportunity, applicant=user).first()
    if existing is not None and not existing.is_withdrawn:
        messages.info(request, _("You have already applied for this opportunity."))
        return redirect("people:application_detail", existing.public_id)
    if not opportunity.is_accepting_applications:
        messages.error(request, _("This opportunity is closed. You can no longer apply."))
        return redirect("people:opportunity_detail", opportunity.public_id)
    questions = list(opportunity.questions.all())
    form = ApplyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(
                opportunity=opportunity,
                applicant=user,
                answers=form.answers(),
                access_needs=form.cleaned_data["access_needs"],
                request=request,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except services.OpportunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. We have your application and have sent you an email."))
            return redirect("people:application_detail", application.public_id)
    return render(
        request,
        "people/applications/apply.html",
        {
            "form": form,
            "opportunity": opportunity,
            "has_equality_answers": _has_equality_answers(user),
            "breadcrumbs": _crumbs(opportunity),
        },
    )


def _has_equality_answers(user) -> bool:
    from people.models import EqualityMonitoring

    return EqualityMonitoring.objects.filter(user=user).exists()


def my_applications(request):
    if not rules.has_perm("people.see_my_applications", request.user):
        raise PermissionDenied
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("opportunity__project__programme")
        .order_by("-submitted_at")
    )
    return render(request, "people/applications/mine.html", {"applications": applications})


def application_detail(request, public_id):
    application = _my_application(request.user, public_id)
    decisions = list(application.decisions.all())
    return render(
        request,
        "people/applications/detail.html",
        {
            "application": application,
            "opportunity": application.opportunity,
            "answers": list(application.answers.all()),
            "decisions": decisions,
            "breadcrumbs": [(_("My applications"), reverse("people:my_applications"))],
        },
    )


def application_withdraw(request, public_id):
    application = _my_application(request.user, public_id)
    if request.method == "POST":
        try:
            services.withdraw(application=application, by=request.user, request=request)
        except services.OpportunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("people:my_applications")
    if not application.can_withdraw:
        messages.info(request, _("This application can no longer be withdrawn."))
        return redirect("people:application_detail", application.public_id)
    return render(
        request,
        "people/applications/withdraw.html",
        {
            "application": application,
            "breadcrumbs": [
                (_("My applications"), reverse("people:my_applications")),
                (application.opportunity.title, reverse("people:application_detail", args=[application.public_id])),
            ],
        },
    )


# Staff: fair selection --------------------------------------------------------------------------


def _flag_access_needs(applications):
    """Attach each applicant's access needs (AccessNeeds, in one query) for the flag.

    While shortlisting is blind the flag says only that there are needs, not what they are, since
    they can reveal a disability."""
    needs = AccessNeeds.objects.for_people(a.applicant_id for a in applications)
    for application in applications:
        application.profile_access_needs = needs.get(application.applicant_id)
        application.has_access_needs = bool(application.profile_access_needs or application.access_needs)
    return applications


def _may_see_profile_needs(user, opportunity) -> bool:
    """The people topic's rule: staff on the project's team see the access needs in people's
    profiles (administrators do not, by that rule). The needs written in an application are part of
    the application, seen by whoever may see it."""
    return rules.test_rule("people.see_participant_access_needs", user, opportunity.project)


def applications(request, public_id):
    opportunity = _opportunity_for(request.user, public_id, "people.view_applications")
    blind = opportunity.is_blind
    # 50 a page in application-number order: a popular opportunity can have over a thousand.
    page = Paginator(
        opportunity.applications.select_related("applicant")
        .prefetch_related("answers", Prefetch("decisions", queryset=ApplicationDecision.objects.select_related("by")))
        .order_by("number"),
        50,
    ).get_page(request.GET.get("page"))
    applications_list = list(page.object_list)
    _flag_access_needs(applications_list)
    if not blind:
        audit.record("applications.viewed", actor=request.user, subject=opportunity, request=request)
    counts = dict(opportunity.applications.values_list("status").annotate(n=Count("pk")).order_by())
    counts = {status: counts.get(status, 0) for status in Application.Status}
    return render(
        request,
        "people/applications/staff_list.html",
        {
            "opportunity": opportunity,
            "applications": applications_list,
            "page": page,
            "blind": blind,
            "waiting": counts[Application.Status.SUBMITTED],
            "selected": counts[Application.Status.SELECTED],
            "can_decide": request.user.has_perm("people.decide_application", opportunity),
            "can_see_profile_needs": _may_see_profile_needs(request.user, opportunity),
            "breadcrumbs": _crumbs(opportunity, staff=True),
        },
    )


def application_decide(request, public_id):
    opportunity = _opportunity_for(
        request.user, public_id, "people.view_applications", change="people.decide_application"
    )
    initial = {}
    if request.method == "GET" and request.GET.get("application"):
        initial["application"] = request.GET["application"]
    form = DecisionForm(request.POST or None, opportunity=opportunity, initial=initial)
    if request.method == "POST" and form.is_valid():
        application = form.cleaned_data["application"]
        application.opportunity = opportunity
        try:
            services.decide(
                application=application,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except services.OpportunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Decision saved for %(who)s. We have emailed them.") % {"who": application.reference},
            )
            return redirect("people:applications", opportunity.public_id)
    chosen = None
    value = form["application"].value()
    if value:
        chosen = (
            opportunity.applications.filter(public_id=value)
            .select_related("applicant")
            .prefetch_related("answers", "decisions__by")
            .first()
            if _is_uuid(value)
            else None
        )
        if chosen is not None:
            _flag_access_needs([chosen])
    return render(
        request,
        "people/applications/decide.html",
        {
            "form": form,
            "opportunity": opportunity,
            "chosen": chosen,
            "blind": opportunity.is_blind,
            "can_see_profile_needs": _may_see_profile_needs(request.user, opportunity),
            "breadcrumbs": _crumbs(opportunity, staff=True)
            + [(_("Applications"), reverse("people:applications", args=[opportunity.public_id]))],
        },
    )


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@require_POST
def shortlisting_done(request, public_id):
    opportunity = _opportunity_for(
        request.user, public_id, "people.view_applications", change="people.decide_application"
    )
    try:
        services.finish_shortlisting(opportunity=opportunity, by=request.user, request=request)
    except services.OpportunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Shortlisting is done. Names and contact details are now shown."))
    return redirect("people:applications", opportunity.public_id)


# Reach ------------------------------------------------------------------------------------------


def _reach_context(request, snapshots, *, subject, title, caption, download_url, breadcrumbs):
    report = services.view_reach_report(
        snapshots=snapshots, area=request.GET.get("area", ""), by=request.user, subject=subject, request=request
    )
    return {
        "report": report,
        "title": title,
        "caption": caption,
        "download_url": download_url + (f"?{urlencode({'area': report.area})}" if report.area else ""),
        "breadcrumbs": breadcrumbs,
        "stages": services.STAGES,
        "stage_labels": [label for _stage, label in services.STAGES],
    }


def _opportunity_snapshots(opportunity):
    return EqualitySnapshot.objects.filter(opportunity=opportunity)


def _programme_snapshots(programme):
    return EqualitySnapshot.objects.filter(opportunity__project__programme=programme)


def reach_opportunity(request, public_id):
    opportunity = _opportunity_for(request.user, public_id, "people.view_opportunity_reach")
    context = _reach_context(
        request,
        _opportunity_snapshots(opportunity),
        subject=opportunity,
        title=_("Who applied and who was chosen"),
        caption=opportunity.title,
        download_url=reverse("people:reach_download_opportunity", args=[opportunity.public_id]),
        breadcrumbs=_crumbs(opportunity, staff=True),
    )
    return render(request, "people/reach/report.html", context)


def _programme_for_reach(user, public_id):
    programme = programme_for_user(user, public_id)
    if not user.has_perm("people.view_programme_reach", programme):
        raise PermissionDenied
    return programme


def reach_programme(request, public_id):
    programme = _programme_for_reach(request.user, public_id)
    context = _reach_context(
        request,
        _programme_snapshots(programme),
        subject=programme,
        title=_("Who applied and who was chosen, across the programme"),
        caption=programme.name,
        download_url=reverse("people:reach_download_programme", args=[programme.public_id]),
        breadcrumbs=[
            (_("Programmes"), reverse("programmes:list")),
            (programme.name, reverse("programmes:detail", args=[programme.public_id])),
        ],
    )
    return render(request, "people/reach/report.html", context)


def _csv_response(report, filename: str, *, request, subject):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in services.reach_csv_rows(report):
        # A cell a spreadsheet would run as a formula is written as text.
        writer.writerow([f"'{cell}" if str(cell)[:1] in ("=", "+", "-", "@") else cell for cell in row])
    audit.record("reach.downloaded", actor=request.user, subject=subject, request=request)
    return response


def reach_download_opportunity(request, public_id):
    opportunity = _opportunity_for(request.user, public_id, "people.view_opportunity_reach")
    report = services.reach_report(_opportunity_snapshots(opportunity), area=request.GET.get("area", ""))
    return _csv_response(report, f"reach-{opportunity.public_id}.csv", request=request, subject=opportunity)


def reach_download_programme(request, public_id):
    programme = _programme_for_reach(request.user, public_id)
    report = services.reach_report(_programme_snapshots(programme), area=request.GET.get("area", ""))
    return _csv_response(report, f"reach-{programme.public_id}.csv", request=request, subject=programme)


# Administrators: population figures -------------------------------------------------------------


def population_upload(request):
    if not request.user.has_perm("people.load_population_figures"):
        raise PermissionDenied
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.load_population_figures(text=form.text, by=request.user, request=request)
        if not result.rejects:
            messages.success(request, _("%(count)d population figures loaded.") % {"count": result.saved})
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("people:population_upload")
    summary = (
        PopulationFigure.objects.values("area_name", "characteristic")
        .annotate(categories=Count("category", distinct=True))
        .order_by("area_name", "characteristic")
    )
    return render(
        request,
        "people/reach/population_upload.html",
        {"form": form, "result": result, "summary": summary, "columns": services.POPULATION_COLUMNS},
    )
