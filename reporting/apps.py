from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = "Reporting: You said, We did, reports and the seven-steps review"

    def ready(self):
        # Dashboard panels, the personal-data section, and the recognition page's "differences".
        from reporting import hooks  # noqa: F401
