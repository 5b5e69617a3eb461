"""Builders for recognition tests. Levels and rate cards are made here (get_or_create), not taken
from the data migrations: a transactional test flushes migration data."""

import struct
import zlib
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from programmes.models import InvolvementLevel, Participant
from recognition.models import ExpensePolicy, InvolvementLog, RateCard, RateCardLine, RewardChoice
from tests.programmes.factories import days_from_today

LEVEL_NAMES = {
    1: "Open-access engagement",
    2: "One-off workshop or focus group",
    3: "Regular working group",
    4: "Senior strategic role",
}
START = date(2024, 4, 6)


def level(number: int) -> InvolvementLevel:
    return InvolvementLevel.objects.get_or_create(number=number, defaults={"name": LEVEL_NAMES.get(number, "Level")})[0]


def rate_card(effective_from=START, lines=(), *, name=None, full_day_minutes=240) -> RateCard:
    card, _ = RateCard.objects.get_or_create(
        effective_from=effective_from,
        defaults={"name": name or f"Rates from {effective_from}", "full_day_minutes": full_day_minutes},
    )
    for number, unit, amount in lines:
        RateCardLine.objects.update_or_create(
            rate_card=card, level=level(number), unit=unit, defaults={"amount": Decimal(amount)}
        )
    return card


def default_rate_card() -> RateCard:
    """The same lines the data migration seeds: level 3 £15 an hour; level 4 £75 / £150."""
    return rate_card(START, [(3, "hour", "15.00"), (4, "half_day", "75.00"), (4, "full_day", "150.00")])


def expense_policy(effective_from=START, **fields) -> ExpensePolicy:
    defaults = {"mileage_rate": Decimal("0.45"), "claim_window_months": 3, "payment_target_days": 21, **fields}
    return ExpensePolicy.objects.update_or_create(effective_from=effective_from, defaults=defaults)[0]


def set_level(project, member, number):
    Participant.objects.filter(project=project, member=member).update(involvement_level=level(number))


def make_log(
    member, project, *, day=None, minutes=60, point=None, activity="meeting", choice=RewardChoice.PAYMENT, **extra
):
    return InvolvementLog.objects.create(
        member=member,
        project=project,
        involvement_point=point,
        date=day or days_from_today(-3),
        activity=activity,
        minutes=minutes,
        choice=choice,
        logged_by=member,
        **extra,
    )


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    """A tiny real PDF (one empty page)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def upload(name="receipt.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)
