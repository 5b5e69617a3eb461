"""Opportunities, applications, fair selection and reach."""

__all__ = []
