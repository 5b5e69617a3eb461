"""Certificates of involvement, each with a code anyone can check on a public page."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from coproduction.models import PortalModel

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31**12 ≈ 7.9e17: not guessable


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class Certificate(PortalModel):
    """A snapshot: the name, confirmed hours and period as they were on the day it was issued."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_verification_code, editable=False)
    name = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=8, decimal_places=1)
    period_start = models.DateField()
    period_end = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="certificate_period_in_order")
        ]

    def __str__(self):
        return f"Certificate {self.display_code}"

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
