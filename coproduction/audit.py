"""Audit trail: one row per decision or sensitive event, written in the same transaction."""

from coproduction.models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        # allauth honours TRUSTED_PROXY_COUNT, so behind a proxy this is the real client.
        return get_adapter(request).get_client_ip(request) or None
    except PermissionDenied:
        return request.META.get("REMOTE_ADDR") or None


def record(action: str, *, actor=None, subject=None, detail: str = "", request=None) -> AuditEntry:
    """Write an audit entry. `subject` is any model instance with a public id (or None).

    Never put personal, health or equality data in `detail`: say what happened, not to whom it
    refers beyond the subject's id.
    """
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        subject_type=subject._meta.label if subject is not None else "",
        subject_id=str(getattr(subject, "public_id", None) or getattr(subject, "pk", ""))
        if subject is not None
        else "",
        detail=detail,
        ip_address=client_ip(request),
    )
