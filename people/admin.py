"""Django admin for the people app: each topic registers its own models in its own module."""

from people import admin_profiles  # noqa: F401
