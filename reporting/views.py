"""Pages for "You said / We did", reports and schedules, the seven-steps review, and the public
"We said, We did" page.

Each view: scoped fetch (404 if it is not theirs to see, 403 if they may see but not do this) →
bind form → valid? → call the service → message → redirect (Post/Redirect/Get).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction import disclosure
from programmes.figures import ladder_label
from programmes.models import Programme
from reporting import access, indicators, periods, services
from reporting.access import programme_for_user, require
from reporting.forms import (
    PublishForm,
    RecordYouSaidForm,
    ReportNowForm,
    ScheduleForm,
    SelfAssessmentForm,
    TellUsForm,
    WeDidForm,
)
from reporting.models import Report, ReportSchedule, ReportSubscription, Step, WeDid, YouSaid
from reporting.services import ReportingError


def _posted(request):
    """The form data of a POST (even an empty one, so it shows what is missing), else None."""
    return request.POST if request.method == "POST" else None


def _crumbs(*extra):
    return [(_("Reports and reviews"), reverse("reporting:schedules")), *extra]


def _programme_crumbs(programme, *extra):
    return [
        (_("Programmes"), reverse("programmes:list")),
        (programme.name, reverse("programmes:detail", args=[programme.public_id])),
        *extra,
    ]


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Members: tell us, and see what we did ------------------------------------------------------------
def you_said_create(request):
    require(request.user, "reporting.tell_us")
    form = TellUsForm(_posted(request), member=request.user)
    if request.method == "POST" and form.is_valid():
        programme, project = form.target
        try:
            services.tell_us(
                member=request.user,
                programme=programme,
                project=project,
                theme=form.cleaned_data["theme"],
                text=form.cleaned_data["text"],
                request=request,
            )
        except ReportingError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. We have your message. We will tell you what we do about it."))
            return redirect("reporting:my_you_said")
    return render(
        request,
        "reporting/tell_us.html",
        {
            "form": form,
            "title": _("Tell us what you think"),
            "button": _("Send"),
            "has_projects": len(form.fields["about"].choices) > 1,
            "breadcrumbs": [(_("What you told us"), reverse("reporting:my_you_said"))],
        },
    )


def my_you_said(request):
    require(request.user, "reporting.tell_us")
    items = (
        access.my_items(request.user)
        .select_related("action", "programme", "project")
        .order_by("-said_on", "-created_at")
    )
    return render(request, "reporting/my_you_said.html", {"items": items})


def my_subscriptions(request):
    """Members choose which published reports they are emailed about."""
    require(request.user, "reporting.choose_subscriptions")
    schedules = (
        ReportSchedule.objects.filter(is_active=True)
        .select_related("programme")
        .annotate(subscribed=Exists(ReportSubscription.objects.filter(schedule=OuterRef("pk"), user=request.user)))
        .order_by("programme__name", "frequency")
    )
    return render(request, "reporting/my_subscriptions.html", {"schedules": schedules})


@require_POST
def schedule_subscribe(request, public_id):
    """Start or stop getting a schedule's reports. Staff-side people who may see the schedule;
    members (who are told about published reports only)."""
    user = request.user
    schedule = ReportSchedule.objects.select_related("programme").filter(public_id=public_id, is_active=True).first()
    if schedule is None:
        raise Http404
    if user.has_perm("reporting.see_reports"):
        schedule = access.schedule_for_user(user, public_id)
        back = reverse("reporting:schedule_detail", args=[schedule.public_id])
    elif user.has_perm("reporting.choose_subscriptions"):
        back = reverse("reporting:my_subscriptions")
    else:
        raise Http404
    subscribe = request.POST.get("subscribe") == "yes"
    services.set_subscription(schedule=schedule, user=user, subscribed=subscribe, request=request)
    if subscribe:
        messages.success(request, _("You will get these reports by email."))
    else:
        messages.success(request, _("You will not get these reports by email any more."))
    return redirect(back)


# Staff: "You said" and "We did" for a programme ---------------------------------------------------
def you_said_list(request, public_id):
    programme = programme_for_user(request.user, public_id)
    require(request.user, "reporting.see_feedback", programme)
    show = request.GET.get("show", "waiting")
    items = YouSaid.objects.filter(programme=programme).select_related(
        "action__owner", "project", "programme", "member"
    )
    if show == "waiting":
        items = items.filter(action__isnull=True)
    actions = (
        WeDid.objects.filter(programme=programme)
        .select_related("owner")
        .annotate(item_count=Count("you_said_items"))
        .order_by("status", "due_date")
    )
    counts = YouSaid.objects.filter(programme=programme).aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(action__isnull=True))
    )
    return render(
        request,
        "reporting/you_said_list.html",
        {
            "programme": programme,
            "items": items.order_by("-said_on", "-created_at"),
            "actions": actions,
            "show": show,
            "counts": counts,
            "can_answer": request.user.has_perm("reporting.answer_feedback", programme),
            "today": timezone.localdate(),
            "breadcrumbs": _programme_crumbs(programme),
        },
    )


def you_said_record(request, public_id):
    programme = programme_for_user(request.user, public_id)
    require(request.user, "reporting.answer_feedback", programme)
    form = RecordYouSaidForm(_posted(request), programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_you_said(
                by=request.user,
                programme=programme,
                theme=data["theme"],
                text=data["text"],
                said_on=data["said_on"],
                source=YouSaid.Source.OTHER,
                project=data["project"],
                involvement_point=data["involvement_point"],
                member=data["member"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“You said” item recorded."))
            return redirect("reporting:you_said_list", programme.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Record something people said"),
            "button": _("Record it"),
            "breadcrumbs": _programme_crumbs(
                programme, (_("You said, we did"), reverse("reporting:you_said_list", args=[programme.public_id]))
            ),
        },
    )


def we_did_create(request, public_id):
    programme = programme_for_user(request.user, public_id)
    require(request.user, "reporting.answer_feedback", programme)
    initial = {"status": WeDid.Status.PLANNED, "owner": request.user.pk}
    chosen = request.GET.get("item", "")
    if _is_uuid(chosen):
        initial["items"] = list(
            YouSaid.objects.filter(programme=programme, public_id=chosen).values_list("pk", flat=True)
        )
    form = WeDidForm(_posted(request), programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_we_did(
                by=request.user,
                programme=programme,
                items=data["items"],
                action=data["action"],
                owner=data["owner"],
                due_date=data["due_date"],
                status=data["status"],
                outcome=data["outcome"],
                not_possible_reason=data["not_possible_reason"],
                request=request,
            )
        except ReportingError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“We did” saved. The people who said it will be told."))
            return redirect("reporting:you_said_list", programme.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Answer with “We did”"),
            "button": _("Save “We did”"),
            "breadcrumbs": _programme_crumbs(
                programme, (_("You said, we did"), reverse("reporting:you_said_list", args=[programme.public_id]))
            ),
        },
    )


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def we_did_edit(request, public_id):
    we_did = access.we_did_for_user(request.user, public_id)
    programme = we_did.programme
    initial = {
        "action": we_did.action,
        "owner": we_did.owner_id,
        "due_date": we_did.due_date,
        "status": we_did.status,
        "outcome": we_did.outcome,
        "not_possible_reason": we_did.not_possible_reason,
    }
    form = WeDidForm(_posted(request), programme=programme, we_did=we_did, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_we_did(
                we_did=we_did,
                by=request.user,
                action=data["action"],
                owner=data["owner"],
                due_date=data["due_date"],
                status=data["status"],
                outcome=data["outcome"],
                not_possible_reason=data["not_possible_reason"],
                add_items=data["items"] or [],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“We did” updated."))
            return redirect("reporting:you_said_list", programme.public_id)
    answers = we_did.you_said_items.select_related("project").order_by("said_on")
    return render(
        request,
        "reporting/we_did_form.html",
        {
            "form": form,
            "we_did": we_did,
            "answers": answers,
            "title": _("Update “We did”"),
            "button": _("Save changes"),
            "breadcrumbs": _programme_crumbs(
                programme, (_("You said, we did"), reverse("reporting:you_said_list", args=[programme.public_id]))
            ),
        },
    )


# Staff: reports and schedules ---------------------------------------------------------------------
def schedules(request):
    """The reporting hub: my programmes' feedback and reviews, schedules and recent reports."""
    user = request.user
    require(user, "reporting.see_reports")
    programmes = Programme.objects.for_user(user).annotate(
        waiting=Count("you_said", filter=Q(you_said__action__isnull=True), distinct=True)
    )
    schedule_list = (
        access.visible_schedules(user)
        .select_related("programme")
        .annotate(
            report_count=Count("reports", distinct=True),
            subscribed=Exists(ReportSubscription.objects.filter(schedule=OuterRef("pk"), user=user)),
        )
        .order_by("programme__name", "frequency")
    )
    reports = access.visible_reports(user).select_related("programme", "schedule").order_by("-created_at")[:20]
    return render(
        request,
        "reporting/schedules.html",
        {
            "programmes": programmes.order_by("name"),
            "schedules": schedule_list,
            "reports": reports,
            "can_create": user.has_perm("reporting.add_schedule"),
            "can_produce": user.has_perm("reporting.produce_report"),
        },
    )


def schedule_create(request):
    require(request.user, "reporting.add_schedule")
    form = ScheduleForm(_posted(request), user=request.user, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = services.create_schedule(
                by=request.user,
                programme=data["programme"],
                frequency=data["frequency"],
                starts_on=data["starts_on"],
                subscribers=data["subscribers"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Schedule created. Each report is produced after its period ends."))
            return redirect("reporting:schedule_detail", schedule.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Create a report schedule"),
            "button": _("Create schedule"),
            "breadcrumbs": _crumbs(),
        },
    )


def schedule_detail(request, public_id):
    schedule = access.schedule_for_user(request.user, public_id)
    subscriptions = schedule.subscriptions.select_related("user").order_by("user__name")
    reports = schedule.reports.select_related("programme").order_by("-period_start")
    today = timezone.localdate()
    start, end = periods.period_containing(today, schedule.frequency)
    return render(
        request,
        "reporting/schedule_detail.html",
        {
            "schedule": schedule,
            "subscriptions": subscriptions,
            "subscribed": any(s.user_id == request.user.pk for s in subscriptions),
            "reports": reports,
            "next_report_after": end,
            "breadcrumbs": _crumbs(),
        },
    )


def report_now(request):
    require(request.user, "reporting.produce_report")
    initial = {}
    programme_id = request.GET.get("programme")
    if programme_id and _is_uuid(programme_id):
        initial["programme"] = Programme.objects.filter(public_id=programme_id).values_list("pk", flat=True).first()
    form = ReportNowForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.request_report(
                by=request.user,
                programme=data["programme"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            report.refresh_from_db()
            if report.is_ready:
                messages.success(request, _("Your report is ready."))
            elif report.enqueued_at:
                messages.success(request, _("Your report is being produced. We will email you when it is ready."))
            else:
                messages.warning(
                    request,
                    _(
                        "Your report is queued. The scheduler is not running just now, so it will be produced "
                        "when it is back. We will email you when it is ready."
                    ),
                )
            return redirect("reporting:report_detail", report.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Produce a report now"),
            "intro": _(
                "Choose any period up to today. The report is produced in the background: "
                "it usually takes less than a minute."
            ),
            "button": _("Produce report"),
            "breadcrumbs": _crumbs(),
        },
    )


def _stored_html(report) -> str:
    try:
        return mark_safe(services.read_report_file(report, "html").decode("utf-8"))  # noqa: S308  (our own escaped render)
    except FileNotFoundError:
        return ""


def report_detail(request, public_id):
    report = access.report_for_user(request.user, public_id)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "body": _stored_html(report) if report.is_ready else "",
            "can_publish": request.user.has_perm("reporting.publish_report", report),
            "gave_up": report.attempts >= services.MAX_ATTEMPTS and not report.is_ready,
            "breadcrumbs": _crumbs(),
        },
    )


def _file_response(report, kind: str) -> HttpResponse:
    if not report.is_ready:
        raise Http404
    try:
        content = services.read_report_file(report, kind)
    except FileNotFoundError:
        raise Http404 from None
    content_type = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}[kind]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{services.download_name(report, kind)}"'
    return response


def _team_download(request, public_id, kind: str) -> HttpResponse:
    """A report's file for its programme team, audited like every export."""
    report = access.report_for_user(request.user, public_id)
    response = _file_response(report, kind)
    services.record_download(report=report, kind=kind, by=request.user, request=request)
    return response


def report_pdf(request, public_id):
    return _team_download(request, public_id, "pdf")


def report_csv(request, public_id):
    return _team_download(request, public_id, "csv")


def report_publish(request, public_id):
    report = access.report_for_user(request.user, public_id, publish=True)
    form = PublishForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_report(
                report=report, by=request.user, easy_read=form.cleaned_data["easy_read"], request=request
            )
        except ReportingError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Published on the “We said, We did” page."))
            return redirect("reporting:report_detail", report.public_id)
    return render(
        request,
        "reporting/publish.html",
        {
            "form": form,
            "report": report,
            "title": _("Publish this report"),
            "button": _("Publish"),
            "breadcrumbs": _crumbs((str(report), reverse("reporting:report_detail", args=[report.public_id]))),
        },
    )


# The seven-steps review ---------------------------------------------------------------------------
def _review_period(request):
    today = timezone.localdate()
    return today - timedelta(days=365) + timedelta(days=1), today


def review(request, public_id):
    programme = programme_for_user(request.user, public_id)
    require(request.user, "reporting.review_programme", programme)
    start, end = _review_period(request)
    steps, worked_out_at = indicators.seven_steps_for_review(programme=programme, start=start, end=end)
    return render(
        request,
        "reporting/review.html",
        {
            "programme": programme,
            "steps": steps,
            "worked_out_at": worked_out_at,
            "review_minutes": settings.REVIEW_FIGURES_SECONDS // 60,
            "trend": indicators.self_assessment_trend(programme),
            "rule": disclosure.Rule.from_settings(),
            "can_assess": request.user.has_perm("reporting.self_assess", programme),
            "intended": ladder_label(steps.plans.intended_average),
            "achieved": ladder_label(steps.plans.achieved_average),
            "step_names": Step,
            "breadcrumbs": _programme_crumbs(programme),
        },
    )


def review_system(request):
    require(request.user, "reporting.review_system")
    start, end = _review_period(request)
    steps, worked_out_at = indicators.seven_steps_for_review(programme=None, start=start, end=end)
    return render(
        request,
        "reporting/review.html",
        {
            "programme": None,
            "steps": steps,
            "worked_out_at": worked_out_at,
            "review_minutes": settings.REVIEW_FIGURES_SECONDS // 60,
            "latest_scores": indicators.latest_scores_by_programme(Programme.objects.all()),
            "rule": disclosure.Rule.from_settings(),
            "intended": ladder_label(steps.plans.intended_average),
            "achieved": ladder_label(steps.plans.achieved_average),
            "step_names": Step,
            "breadcrumbs": _crumbs(),
        },
    )


def self_assessment(request, public_id):
    programme = programme_for_user(request.user, public_id)
    require(request.user, "reporting.self_assess", programme)
    form = SelfAssessmentForm(_posted(request), initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_self_assessment(
                programme=programme,
                by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores,
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Self-assessment saved."))
            return redirect("reporting:review", programme.public_id)
    return render(
        request,
        "reporting/self_assessment.html",
        {
            "form": form,
            "programme": programme,
            "title": _("Score your programme against the seven steps"),
            "breadcrumbs": _programme_crumbs(
                programme, (_("Seven-steps review"), reverse("reporting:review", args=[programme.public_id]))
            ),
        },
    )


# Public: "We said, We did" ------------------------------------------------------------------------
@login_not_required
def public_reports(request):
    reports = (
        Report.objects.filter(published_at__isnull=False)
        .select_related("programme")
        .order_by("-period_end", "-published_at")
    )
    return render(request, "reporting/public_reports.html", {"reports": reports})


@login_not_required
def public_report(request, public_id):
    report = access.published_report(public_id)
    return render(
        request,
        "reporting/public_report.html",
        {
            "report": report,
            "body": _stored_html(report),
            "breadcrumbs": [(_("We said, We did"), reverse("reporting:public_reports"))],
        },
    )


@login_not_required
def public_report_pdf(request, public_id):
    return _file_response(access.published_report(public_id), "pdf")


@login_not_required
def public_report_csv(request, public_id):
    return _file_response(access.published_report(public_id), "csv")
