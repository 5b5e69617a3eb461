"""Member profiles, access needs, consent, equality monitoring and deletion requests."""

__all__ = []
