"""Receipt files: checked by their content, stored privately, read only through a checked view.

Files live under MEDIA_ROOT/private/receipts/, a folder no URL serves (the portal sets no
MEDIA_URL and serves uploads only through `recognition:receipt`, which checks who is asking).
Names on disk are random; the name the person gave is kept only as data.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from coproduction import uploads

EXTENSIONS = uploads.EXTENSIONS


def max_bytes() -> int:
    return getattr(settings, "RECEIPT_MAX_BYTES", uploads.DEFAULT_MAX_BYTES)


def receipt_storage() -> FileSystemStorage:
    return uploads.private_storage


def stored_name(receipt) -> str:
    today = timezone.localdate()
    return f"receipts/{today:%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS.get(receipt.content_type, 'bin')}"


def check_receipt(uploaded) -> str:
    """Validate an uploaded receipt; returns its real content type. Raises ValidationError."""
    return uploads.check_upload(uploaded, max_bytes=max_bytes())
