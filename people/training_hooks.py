"""Dashboard panels and the personal-data section for training. Imported once, by PeopleConfig.ready()."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.dashboard import register as register_panel
from coproduction.roles import Role
from people import (
    admin_training,  # noqa: F401  (Django admin registrations)
    personal_data,
    training_tasks,  # noqa: F401  (Celery finds only tasks.py by itself)
)
from people import training as services  # also registers the permission rules
from people.models.training import Course, TrainingBooking, TrainingSession


# Dashboard ----------------------------------------------------------------------------------------
@register_panel
def member_training_panel(request):
    """Training offered to members: what is on, their next session and anything they must do."""
    user = request.user
    if not user.has_role(Role.MEMBER) or user.is_superuser:
        return None
    now = timezone.now()
    offered = (
        Course.objects.active()
        .filter(audience__in=[Course.Audience.MEMBERS, Course.Audience.BOTH])
        .annotate(upcoming=Count("sessions", filter=Q(sessions__starts_at__gt=now)))
        .filter(Q(upcoming__gt=0) | Q(format=Course.Format.E_LEARNING))
        .order_by("title")
    )
    next_booking = (
        TrainingBooking.objects.filter(person=user, status=TrainingBooking.Status.BOOKED, session__starts_at__gt=now)
        .select_related("session__course")
        .order_by("session__starts_at")
        .first()
    )
    overview = services.training_overview(user)
    return {
        "template": "people/training/panel_member.html",
        "order": 30,
        "offered": list(offered[:3]),
        "offered_count": offered.count(),
        "next_booking": next_booking,
        "due": overview["due"],
        "expiring": overview["expiring"],
    }


@register_panel
def staff_training_panel(request):
    """Staff: sessions they run that need attendance marking, and their own training due."""
    user = request.user
    if not user.has_role(Role.STAFF):
        return None
    now = timezone.now()
    mine = TrainingSession.objects.filter(organiser=user)
    overview = services.training_overview(user)
    return {
        "template": "people/training/panel_staff.html",
        "order": 35,
        "to_mark": mine.filter(starts_at__lte=now, attendance_marked_at__isnull=True).count(),
        "running": mine.filter(starts_at__gt=now).count(),
        "due": overview["due"],
        "expiring": overview["expiring"],
    }


# Personal data ------------------------------------------------------------------------------------
personal_data.register(
    "training",
    title=_("Your training"),
    export=services.export_training,
    erase=services.erase_training,
)
personal_data.not_exported(
    "people.TrainingRecord.certificate_file",
    reason="where the uploaded file is stored on our server; the download names the file instead",
)
personal_data.not_exported(
    "people.TrainingRecord.certificate_content_type",
    reason="the uploaded file's type (PDF or picture), which its file name in the download already shows",
)
