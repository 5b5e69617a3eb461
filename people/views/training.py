"""Step 6, train and develop staff and people: the course catalogue, sessions and booking,
attendance, training records, importing past completions, and what is due.

Each view: scoped fetch (404 if the person may not see it, 403 if they may see but not do this) →
bind form → valid? → call the service in people/training.py → message → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from coproduction import audit
from people import training as services
from people.forms_training import AttendanceForm, CourseForm, ImportForm, OwnRecordForm, SessionForm
from people.models import AccessNeeds
from people.models.training import Course, TrainingBooking, TrainingRecord, TrainingSession
from people.training_rules import audience_of, people_in_scope
from programmes.access import programme_for_user
from programmes.models import Programme

Booking = TrainingBooking.Status


# Scoped fetches ---------------------------------------------------------------------------------
def _require(user, permission, obj=None):
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def _course_for(user, public_id, *, change=False) -> Course:
    course = Course.objects.filter(public_id=public_id).first()
    if course is None or not user.has_perm("people.view_course", course):
        raise Http404
    if change and not user.has_perm("people.manage_courses"):
        raise PermissionDenied
    return course


def _session_for(user, public_id, *, perm: str | None = None) -> TrainingSession:
    session = (
        TrainingSession.objects.select_related("course", "organiser", "attendance_marked_by")
        .filter(public_id=public_id)
        .first()
    )
    if session is None or not user.has_perm("people.view_course", session.course):
        raise Http404
    if perm and not user.has_perm(perm, session):
        raise PermissionDenied
    return session


def _my_booking(user, public_id) -> TrainingBooking:
    booking = TrainingBooking.objects.filter(public_id=public_id, person=user).select_related("session__course").first()
    if booking is None:
        raise Http404
    return booking


def _record_for(user, public_id) -> TrainingRecord:
    record = TrainingRecord.objects.filter(public_id=public_id).select_related("course", "person").first()
    if record is None or not user.has_perm("people.view_training_record", record):
        raise Http404
    return record


def _person_for(user, public_id):
    person = people_in_scope(user).filter(public_id=public_id).first()
    if person is None or not user.has_perm("people.view_person_training", person):
        raise Http404
    return person


def _posted(request):
    """The POST data on a POST (even an empty one, which must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _catalogue_crumbs(course=None):
    crumbs = [(_("Training"), reverse("people:my_training")), (_("Courses"), reverse("people:training_courses"))]
    if course is not None:
        crumbs.append((course.title, reverse("people:training_course_detail", args=[course.public_id])))
    return crumbs


def _form_page(request, form, *, title, crumbs, submit, intro="", caption="", multipart=False):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "intro": intro,
            "submit_label": submit,
            "multipart": multipart,
            "breadcrumbs": crumbs,
        },
    )


def _apply_errors(form, error: ValidationError) -> None:
    """A service's ValidationError, said next to the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# My training ------------------------------------------------------------------------------------
def my_training(request):
    _require(request.user, "people.keep_my_training")
    return render(
        request,
        "people/training/my_training.html",
        {
            **services.training_overview(request.user),
            "can_manage": request.user.has_perm("people.manage_training"),
            "breadcrumbs": [],
        },
    )


def person_training(request, public_id):
    """Staff see the training of people on their programmes; administrators everyone's."""
    person = _person_for(request.user, public_id)
    audit.record("training.person_viewed", actor=request.user, subject=person, request=request)
    return render(
        request,
        "people/training/person.html",
        {
            **services.training_overview(person),
            "person": person,
            "breadcrumbs": [(_("Training"), reverse("people:training_manage"))],
        },
    )


def record_add(request):
    """A person records a course they completed, with the certificate."""
    user = request.user
    _require(user, "people.keep_my_training")
    form = OwnRecordForm(_posted(request), request.FILES or None, person=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_own_record(
                person=user,
                course=form.cleaned_data["course"],
                completed_on=form.cleaned_data["completed_on"],
                certificate=form.cleaned_data["certificate"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your training record is saved."))
            return redirect("people:my_training")
    return _form_page(
        request,
        form,
        title=_("Add a course you have completed"),
        intro=_(
            "Upload the certificate you were given. Only you, staff on your programmes and administrators can see it."
        ),
        submit=_("Save the record"),
        crumbs=[(_("My training"), reverse("people:my_training"))],
        multipart=True,
    )


@never_cache
def certificate(request, public_id):
    """The certificate file, only for the person, staff on their programmes and administrators."""
    record = _record_for(request.user, public_id)
    if not record.has_certificate:
        raise Http404
    try:
        handle = services.open_certificate(record)
    except FileNotFoundError:
        raise Http404 from None
    if record.person_id != request.user.pk:
        audit.record("training.certificate_viewed", actor=request.user, subject=record, request=request)
    response = FileResponse(
        handle,
        content_type=record.certificate_content_type,
        as_attachment=record.certificate_content_type == "application/pdf",
        filename=record.certificate_name or "certificate",
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The catalogue ----------------------------------------------------------------------------------
def course_list(request):
    user = request.user
    _require(user, "people.see_training_catalogue")
    can_manage = user.has_perm("people.manage_courses")
    courses = Course.objects.all() if can_manage else Course.objects.active().for_audience(**audience_of(user))
    courses = courses.annotate(
        upcoming=Count("sessions", filter=Q(sessions__starts_at__gt=timezone.now())),
    ).order_by("-is_active", "title")
    return render(
        request,
        "people/training/course_list.html",
        {
            "courses": list(courses),
            "can_manage": can_manage,
            "breadcrumbs": [(_("Training"), reverse("people:my_training"))],
        },
    )


def course_detail(request, public_id):
    user = request.user
    course = _course_for(user, public_id)
    can_manage = user.has_perm("people.manage_courses")
    sessions = list(
        services.with_places_taken(course.sessions.upcoming().select_related("organiser")).order_by("starts_at")
    )
    mine = {
        b.session_id: b
        for b in TrainingBooking.objects.filter(person=user, session__in=[s.pk for s in sessions]).exclude(
            status=Booking.CANCELLED
        )
    }
    for session in sessions:
        session.my_booking = mine.get(session.pk)
        session.can_change = user.has_perm("people.change_training_session", session)
    past = []
    if can_manage:
        past = list(
            services.with_places_taken(
                course.sessions.filter(starts_at__lte=timezone.now()).select_related("organiser")
            ).order_by("-starts_at")[:10]
        )
        for session in past:
            session.can_change = user.has_perm("people.mark_attendance", session)
    my_records = list(TrainingRecord.objects.filter(person=user, course=course).order_by("-completed_on"))
    return render(
        request,
        "people/training/course_detail.html",
        {
            "course": course,
            "sessions": sessions,
            "past_sessions": past,
            "my_records": my_records,
            "can_book": user.has_perm("people.book_training_session", sessions[0]) if sessions else False,
            "can_manage": can_manage,
            "breadcrumbs": _catalogue_crumbs(),
        },
    )


def course_create(request):
    _require(request.user, "people.manage_courses")
    form = CourseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            course = services.save_course(course=form.save(commit=False), by=request.user, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Course added to the catalogue. Now add the dates it runs."))
            return redirect("people:training_course_detail", course.public_id)
    return _form_page(request, form, title=_("Add a course"), submit=_("Save the course"), crumbs=_catalogue_crumbs())


def course_edit(request, public_id):
    course = _course_for(request.user, public_id, change=True)
    form = CourseForm(_posted(request), instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_course(course=form.save(commit=False), by=request.user, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Course details saved."))
            return redirect("people:training_course_detail", course.public_id)
    return _form_page(
        request,
        form,
        title=_("Change course details"),
        caption=course.title,
        intro=_("A change to how long the course stays valid applies to records made from now on."),
        submit=_("Save the course"),
        crumbs=_catalogue_crumbs(course),
    )


# Sessions ---------------------------------------------------------------------------------------
def _save_session(request, course, session, *, title):
    form = SessionForm(
        _posted(request),
        course=course,
        session=session if session.pk else None,
        initial=None if session.pk else {"organiser": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        for name, value in form.session_fields().items():
            setattr(session, name, value)
        try:
            services.save_session(session=session, by=request.user, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Session saved. People can now book a place."))
            return redirect("people:training_course_detail", course.public_id)
    return _form_page(
        request, form, title=title, caption=course.title, submit=_("Save the session"), crumbs=_catalogue_crumbs(course)
    )


def session_create(request, public_id):
    course = _course_for(request.user, public_id, change=True)
    _require(request.user, "people.add_training_session", course)
    return _save_session(request, course, TrainingSession(course=course), title=_("Add a session"))


def session_edit(request, public_id):
    session = _session_for(request.user, public_id, perm="people.change_training_session")
    return _save_session(request, session.course, session, title=_("Change the session"))


def session_book(request, public_id):
    """Book a place; when every place is taken, offer the waiting list."""
    user = request.user
    session = _session_for(user, public_id)
    _require(user, "people.book_training_session", session)
    session = services.with_places_taken(TrainingSession.objects.filter(pk=session.pk)).select_related("course").get()
    my_booking = TrainingBooking.objects.filter(session=session, person=user).exclude(status=Booking.CANCELLED).first()
    error = ""
    if request.method == "POST":
        try:
            booking = services.book_place(
                session=session,
                person=user,
                join_waiting_list=request.POST.get("waiting_list") == "yes",
                request=request,
            )
        except services.SessionFull as full:
            error = str(full)
            session.left = 0
        except services.TrainingError as refused:
            error = str(refused)
        else:
            if booking.status == Booking.WAITING:
                messages.success(request, _("You are on the waiting list. We will email you if a place comes free."))
            else:
                messages.success(request, _("Your place is booked. We have sent you an email with the details."))
            return redirect("people:my_training")
    return render(
        request,
        "people/training/book.html",
        {
            "session": session,
            "course": session.course,
            "full": session.left <= 0,
            "my_booking": my_booking,
            "error": error,
            "breadcrumbs": _catalogue_crumbs(session.course),
        },
    )


def booking_cancel(request, public_id):
    booking = _my_booking(request.user, public_id)
    if request.method == "POST":
        try:
            services.cancel_booking(booking=booking, by=request.user, request=request)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your booking is cancelled."))
        return redirect("people:my_training")
    return render(
        request,
        "people/training/cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "breadcrumbs": [(_("My training"), reverse("people:my_training"))],
        },
    )


def session_attendance(request, public_id):
    """The organiser marks everyone with a place at once: one checkbox per person."""
    session = _session_for(request.user, public_id, perm="people.mark_attendance")
    bookings = services.attendance_list(session)
    waiting = list(session.bookings.waiting().select_related("person"))
    form = AttendanceForm(_posted(request), bookings=bookings)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.mark_attendance(
                session=session, attended=set(form.cleaned_data["attended"]), by=request.user, request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except services.TrainingError as refused:
            messages.error(request, str(refused))
            return redirect("people:training_session_attendance", session.public_id)
        else:
            messages.success(
                request,
                _("Attendance saved: %(came)d of %(total)d people attended. Their training records are updated.")
                % {"came": result.attended, "total": result.attended + result.absent},
            )
            return redirect("people:training_session_attendance", session.public_id)
    needs = AccessNeeds.objects.for_people([b.person_id for b in bookings] + [b.person_id for b in waiting])
    for booking in bookings + waiting:
        booking.access_needs = needs.get(booking.person_id)
    return render(
        request,
        "people/training/attendance.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "items": form.items(),
            "waiting": waiting,
            "breadcrumbs": _catalogue_crumbs(session.course),
        },
    )


# Staff: importing and managing ------------------------------------------------------------------
def import_records(request):
    _require(request.user, "people.import_training_records")
    form = ImportForm(_posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.import_completions(text=form.text, by=request.user, request=request)
        if report.problem:
            form.add_error("file", report.problem)
            report = None
    return render(
        request,
        "people/training/import.html",
        {
            "form": form,
            "report": report,
            "breadcrumbs": [(_("Training"), reverse("people:training_manage"))],
        },
    )


def manage(request):
    """Staff's training page: sessions they run, their programmes' coverage, and their people."""
    user = request.user
    _require(user, "people.manage_training")
    now = timezone.now()
    mine = TrainingSession.objects.filter(organiser=user).select_related("course")
    upcoming = list(services.with_places_taken(mine.filter(starts_at__gt=now)).order_by("starts_at"))
    to_mark = list(mine.filter(starts_at__lte=now, attendance_marked_at__isnull=True).order_by("-starts_at")[:20])
    programmes = Programme.objects.for_user(user).order_by("name")
    people = Paginator(people_in_scope(user).filter(is_active=True).order_by("name", "email"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/training/manage.html",
        {
            "upcoming": upcoming,
            "to_mark": to_mark,
            "programmes": list(programmes),
            "people": people,
            "breadcrumbs": [],
        },
    )


def coverage(request, public_id):
    """The share of a programme's team with their required training current."""
    programme = programme_for_user(request.user, public_id)
    _require(request.user, "people.view_training_coverage", programme)
    figures = services.coverage(programme)
    show_people = request.user.has_perm("people.see_team_training", programme)
    team = services.team_training(programme, figures["courses"]) if show_people else []
    return render(
        request,
        "people/training/coverage.html",
        {
            "programme": programme,
            "figures": figures,
            "team": team,
            "show_people": show_people,
            "breadcrumbs": [
                (_("Programmes"), reverse("programmes:list")),
                (programme.name, reverse("programmes:detail", args=[programme.public_id])),
            ],
        },
    )
