"""Receipt files: checked by their content, stored privately, read only through a checked view.

Files live under MEDIA_ROOT/private/receipts/, a folder no URL serves (the portal sets no
MEDIA_URL and serves uploads only through `recognition:receipt`, which checks who is asking).
Names on disk are random; the name the person gave is kept only as data.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.translation import gettext as _

# (content type, extension) by the file's first bytes ("magic numbers"), never by its name.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]
EXTENSIONS = {content_type: extension for _signature, content_type, extension in SIGNATURES}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "RECEIPT_MAX_BYTES", DEFAULT_MAX_BYTES)


class PrivateReceiptStorage(FileSystemStorage):
    """MEDIA_ROOT/private, read from settings on every use (so tests can point it elsewhere).
    These files have no URL: asking for one is a mistake, so it fails loudly."""

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Receipts have no public address; serve them through recognition:receipt.")


_storage = PrivateReceiptStorage()


def receipt_storage() -> FileSystemStorage:
    return _storage


def stored_name(receipt) -> str:
    today = timezone.localdate()
    return f"receipts/{today:%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS.get(receipt.content_type, 'bin')}"


def sniff(uploaded) -> str | None:
    """The content type the file's bytes say it is, or None if it is not a PDF, PNG or JPEG."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, content_type, _extension in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_receipt(uploaded) -> str:
    """Validate an uploaded receipt; returns its real content type. Raises ValidationError."""
    limit = max_bytes()
    if uploaded.size == 0:
        raise ValidationError(_("The selected file is empty"), code="empty")
    if uploaded.size > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s MB") % {"size": f"{limit / (1024 * 1024):g}"},
            code="too_big",
        )
    content_type = sniff(uploaded)
    if content_type is None:
        raise ValidationError(_("The selected file must be a PDF, JPG or PNG"), code="wrong_type")
    return content_type
