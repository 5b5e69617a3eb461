from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"

    def ready(self):
        # Each topic registers its dashboard panels and personal-data sections.
        from people import opportunity_hooks, profile_hooks, training_hooks  # noqa: F401
