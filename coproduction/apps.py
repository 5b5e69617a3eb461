from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coproduction"
    verbose_name = "Co-production Portal"

    def ready(self):
        from coproduction import panels, signals  # noqa: F401  (dashboard panels, audit of sign-ins)
