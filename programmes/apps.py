from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmes"

    def ready(self):
        from programmes import champion_panels, panels  # noqa: F401  (registers the dashboard panels)
