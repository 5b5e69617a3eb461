"""Demo recognition data: invented time, rewards and an expense claim for the demo member.

Call after programmes.demo.seed(users): `recognition.demo.seed(users)`. Running it again changes
nothing. Uses the services, so every row is as the portal itself would write it (audit included).
"""

import struct
import zlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programmes.models import InvolvementLevel, InvolvementPoint, Participant, Project
from recognition import services
from recognition.models import Activity, ExpenseCategory, InvolvementLog, RewardChoice


def tiny_png() -> bytes:
    """A real 1×1 white PNG, for a demo receipt."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def seed(users: dict) -> dict:
    member = users["member@example.org"]
    staff = users["staff@example.org"]
    if InvolvementLog.objects.filter(member=member).exists():
        return {}
    project = Project.objects.filter(name="Pulmonary rehab closer to home").first()
    if project is None:
        return {}
    today = timezone.localdate()
    level3 = InvolvementLevel.objects.filter(number=3).first()
    level4 = InvolvementLevel.objects.filter(number=4).first()
    participant, _created = Participant.objects.get_or_create(
        project=project, member=member, defaults={"status": Participant.Status.ACTIVE, "invited_by": staff}
    )
    if participant.status != Participant.Status.ACTIVE:
        Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.ACTIVE)
    if level3:
        Participant.objects.filter(pk=participant.pk).update(involvement_level=level3)
    point = project.involvement_points.filter(status=InvolvementPoint.Status.HAPPENED).first()
    if point is not None and level4 and point.involvement_level_id is None:
        InvolvementPoint.objects.filter(pk=point.pk).update(involvement_level=level4)
        point.refresh_from_db()

    def logged(days_ago, activity, minutes, *, at_point=False, note=""):
        day = point.planned_date if at_point and point else today - timedelta(days=days_ago)
        return services.log_involvement(
            member=member,
            project=project,
            point=point if at_point else None,
            date=day,
            activity=activity,
            minutes=minutes,
            choice=RewardChoice.PAYMENT,
            note=note,
        )

    # Confirmed: a full-day workshop at the involvement point, and working group meetings.
    if point is not None:
        services.confirm_log(log=logged(0, Activity.WORKSHOP, 300, at_point=True), by=staff)
    services.confirm_log(log=logged(40, Activity.MEETING, 120, note="Working group: leaflet wording."), by=staff)
    services.confirm_log(log=logged(25, Activity.PREPARATION, 90, note="Read the draft patient leaflet."), by=staff)
    # Waiting for staff, and one with a question.
    logged(6, Activity.MEETING, 150, note="Working group: class timetable.")
    services.query_log(
        log=logged(3, Activity.OTHER, 60, note="Phone call with the project lead."),
        by=staff,
        reason="Was this the call about class times? If so, please choose 'Meeting'.",
    )
    # An expense claim: mileage with a receipt (a photo of the parking ticket), and a bus fare.
    claim = services.start_claim(member=member, project=project, point=point, note="Travel to the workshop.")
    services.add_expense_item(
        claim=claim,
        by=member,
        category=ExpenseCategory.MILEAGE,
        date=today - timedelta(days=10),
        description="Drove from home to Northbrook Community Centre and back.",
        miles=Decimal("18.4"),
    )
    services.add_expense_item(
        claim=claim,
        by=member,
        category=ExpenseCategory.PARKING,
        date=today - timedelta(days=10),
        description="Car park at the community centre.",
        amount=Decimal("3.50"),
        receipt=SimpleUploadedFile("parking-ticket.png", tiny_png(), content_type="image/png"),
    )
    claim = services.submit_claim(claim=claim, by=member)
    return {"claim": claim}
