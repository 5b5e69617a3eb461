"""What recognition reads from people's profiles: how someone wants to be thanked, and access needs
to flag on attendance lists.

The people app is being built alongside this one; until its tables exist (its migrations), these
read nothing and say so, instead of failing. Each read runs in a savepoint so a missing table
cannot spoil the caller's transaction (PostgreSQL aborts a transaction on any error).
"""

import logging

from django.db import DatabaseError, transaction

from recognition.models import RewardChoice

logger = logging.getLogger(__name__)


def payment_preference(user) -> str | None:
    """The member's saved choice (a RewardChoice value), or None when they have not said."""
    try:
        from people.models import Profile
    except ImportError:  # pragma: no cover - the people app always has profiles now
        return None
    try:
        with transaction.atomic():
            value = Profile.objects.filter(user=user).values_list("payment_preference", flat=True).first()
    except DatabaseError:
        logger.warning("people profiles are not available yet; no saved payment preference")
        return None
    return value if value in RewardChoice.values else None


def access_needs_for(users) -> dict | None:
    """{user id: AccessNeeds} for those with any need; None when access needs cannot be read yet
    (the page then says it could not check, rather than implying nobody has needs)."""
    try:
        from people.models import AccessNeeds
    except ImportError:  # pragma: no cover
        return None
    if not hasattr(AccessNeeds.objects, "for_people"):  # pragma: no cover
        return None
    try:
        with transaction.atomic():
            return AccessNeeds.objects.for_people(users)
    except DatabaseError:
        logger.warning("people access needs are not available yet")
        return None
