"""Uploaded evidence (receipts, certificates): checked by content, stored privately.

Files live under MEDIA_ROOT/private/, a folder no URL serves: the portal sets no MEDIA_URL and
serves uploads only through views that check who is asking. Names on disk are random; the name the
person gave is kept only as data.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

# (first bytes, content type, extension): the file's "magic numbers", never its name.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]
EXTENSIONS = {content_type: extension for _signature, content_type, extension in SIGNATURES}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private, read from settings on every use (so tests can point it elsewhere).
    These files have no URL: asking for one is a mistake, so it fails loudly."""

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private uploads have no public address; serve them through a checked view.")


private_storage = PrivateStorage()


def sniff(uploaded) -> str | None:
    """The content type the file's bytes say it is, or None if it is not a PDF, PNG or JPEG."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, content_type, _extension in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_upload(uploaded, *, max_bytes: int) -> str:
    """Validate an uploaded PDF, JPEG or PNG; returns its real content type. Raises ValidationError."""
    if uploaded.size == 0:
        raise ValidationError(_("The selected file is empty"), code="empty")
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s MB") % {"size": f"{max_bytes / (1024 * 1024):g}"},
            code="too_big",
        )
    content_type = sniff(uploaded)
    if content_type is None:
        raise ValidationError(_("The selected file must be a PDF, JPG or PNG"), code="wrong_type")
    return content_type
