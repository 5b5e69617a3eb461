import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.roles import Role, role_group


class PortalModel(models.Model):
    """Base for the portal's records: a UUID for URLs (never the sequential id) and timestamps."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        user = self._create_user(email, password, **extra_fields)
        user.groups.add(role_group(Role.ADMINISTRATOR))
        return user


class User(AbstractUser):
    """A person who signs in. Email is the login; the name is free text in any script.

    Roles are Django groups (see coproduction.roles). `is_staff` keeps Django's meaning — may use the
    Django admin — and is not the portal's Staff role.
    """

    username = None
    first_name = None
    last_name = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["name", "email"]
        # Long lists of people (a payment batch's payees) are shown in name order a page at a time:
        # the index lets the database read the first page in order instead of sorting everyone.
        indexes = [models.Index(models.functions.Lower("name"), "id", name="user_name_order")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name or self.email

    @property
    def role_names(self) -> set[str]:
        """The user's role names, read once per request (groups are prefetched by the middleware)."""
        if not hasattr(self, "_role_names"):
            self._role_names = {g.name for g in self.groups.all()}
            if self.is_superuser:
                self._role_names.add(Role.ADMINISTRATOR)
        return self._role_names

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    @property
    def needs_mfa(self) -> bool:
        return bool(self.role_names & Role.NEEDS_MFA)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(PortalModel):
    """An administrator's emailed invitation that grants one role when accepted before it expires."""

    email = models.EmailField(_("email address"))
    name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.INVITABLE_CHOICES)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_role_display()} invitation for {self.email}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def status_label(self) -> str:
        if self.accepted_at:
            return _("Accepted")
        if self.revoked_at:
            return _("Withdrawn")
        if self.is_expired:
            return _("Expired")
        return _("Waiting")


class AuditEntry(models.Model):
    """One kept line per decision or sensitive event: who, what, when, from where. Never edited."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    # What the action was about, as a label and a public id; never personal or health data.
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"
