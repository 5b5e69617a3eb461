from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recognition"
    verbose_name = "Recognition: involvement, rewards and expenses"

    def ready(self):
        from recognition import data_rights, panels  # noqa: F401  (dashboard panels, personal-data section)
