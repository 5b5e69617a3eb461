"""Use cases for profiles, access needs, equality monitoring, consent and the person's data rights.

Audit rows say what happened and to which record, never the personal values themselves.
"""

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from coproduction import audit
from coproduction.emails import queue_templated_email
from coproduction.models import AuditEntry
from coproduction.roles import Role
from people import personal_data
from people.models.profiles import (
    PRIVACY_NOTICE_VERSION,
    AccessNeed,
    AccessNeeds,
    Consent,
    DeletionRequest,
    EqualityMonitoring,
    Profile,
)

User = get_user_model()


class DataRightsError(Exception):
    """A request about a person's data that cannot be done; the message says why in plain words."""


# Profile ------------------------------------------------------------------------------------------
def profile_for(user) -> Profile:
    """The person's profile, made the first time they need one."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def save_profile(*, user, name: str, lived_experience, request=None, **fields) -> Profile:
    """Save the "about you" answers. `fields` are Profile fields; `name` is the account's name."""
    profile = profile_for(user)
    user.name = name.strip()
    user.save(update_fields=["name"])
    for field, value in fields.items():
        setattr(profile, field, value)
    if not profile.contact_by_phone:
        profile.phone = ""
    if not profile.contact_by_post:
        profile.postal_address = ""
    first_time = profile.completed_at is None
    if first_time:
        profile.completed_at = timezone.now()
    profile.full_clean()
    profile.save()
    profile.lived_experience.set(lived_experience)
    audit.record("profile.completed" if first_time else "profile.changed", actor=user, subject=profile, request=request)
    return profile


# Access needs -------------------------------------------------------------------------------------
@transaction.atomic
def save_access_needs(*, user, needs, other_details: str = "", request=None) -> AccessNeeds:
    """Record the person's communication and access needs (all of them at once)."""
    chosen = set(needs)
    unknown = chosen - set(AccessNeed.values)
    if unknown:
        raise DataRightsError("Unknown access need.")
    other_details = other_details.strip()
    if other_details:
        chosen.add(AccessNeed.OTHER)
    if AccessNeed.OTHER in chosen and not other_details:
        raise DataRightsError("Tell us what else you need.")
    record, _created = AccessNeeds.objects.get_or_create(user=user)
    for need in AccessNeed:
        setattr(record, need.value, need.value in chosen)
    record.other_details = other_details
    record.save()
    audit.record("access_needs.changed", actor=user, subject=record, request=request)
    return record


def access_needs_of(user) -> AccessNeeds | None:
    return AccessNeeds.objects.filter(user=user).first()


# Equality monitoring ------------------------------------------------------------------------------
def read_equality_answers(*, user, purpose: str, request=None) -> EqualityMonitoring | None:
    """The person's own equality answers, for them alone. Every read is audited (never the values)."""
    record = EqualityMonitoring.objects.filter(user=user).first()
    if record is not None:
        audit.record("equality.read", actor=user, subject=record, detail=f"purpose={purpose}", request=request)
    return record


@transaction.atomic
def save_equality_answers(*, user, answers: dict, request=None) -> EqualityMonitoring:
    unknown = set(answers) - set(EqualityMonitoring.QUESTIONS)
    if unknown:
        raise DataRightsError("Unknown equality question.")
    record, _created = EqualityMonitoring.objects.get_or_create(user=user)
    for question in EqualityMonitoring.QUESTIONS:
        setattr(record, question, answers.get(question) or "")
    record.full_clean()
    record.save()
    audit.record(
        "equality.changed",
        actor=user,
        subject=record,
        detail=f"answered={record.answered_count} of {len(EqualityMonitoring.QUESTIONS)}",
        request=request,
    )
    return record


@transaction.atomic
def clear_equality_answers(*, user, request=None) -> bool:
    record = EqualityMonitoring.objects.filter(user=user).first()
    if record is None:
        return False
    audit.record("equality.cleared", actor=user, subject=record, request=request)
    record.delete()
    return True


# Consent ------------------------------------------------------------------------------------------
def latest_privacy_agreement(user) -> Consent | None:
    return Consent.objects.filter(user=user, action=Consent.Action.AGREED_PRIVACY_NOTICE).first()


@transaction.atomic
def agree_to_privacy_notice(*, user, request=None) -> Consent:
    consent = Consent.objects.create(
        user=user, action=Consent.Action.AGREED_PRIVACY_NOTICE, privacy_notice_version=PRIVACY_NOTICE_VERSION
    )
    audit.record(
        "consent.privacy_notice_agreed", actor=user, detail=f"version={PRIVACY_NOTICE_VERSION}", request=request
    )
    return consent


@transaction.atomic
def set_contact_consent(*, user, happy: bool, request=None) -> Consent | None:
    """Say whether the person wants to hear about new opportunities. Nothing changes (and nothing is
    recorded) when the answer is the one already held."""
    profile = profile_for(user)
    if profile.happy_to_be_contacted is happy:
        return None
    profile.happy_to_be_contacted = happy
    profile.save(update_fields=["happy_to_be_contacted", "updated_at"])
    action = Consent.Action.CONTACT_GIVEN if happy else Consent.Action.CONTACT_WITHDRAWN
    consent = Consent.objects.create(user=user, action=action, privacy_notice_version=PRIVACY_NOTICE_VERSION)
    audit.record(f"consent.{action}", actor=user, request=request)
    return consent


# Progress, for the dashboard nudge ----------------------------------------------------------------
def profile_progress(user) -> dict:
    """Which parts of the profile are done, read in one query."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            profile_done=Exists(Profile.objects.filter(user=OuterRef("pk"), completed_at__isnull=False)),
            needs_done=Exists(AccessNeeds.objects.filter(user=OuterRef("pk"))),
            privacy_done=Exists(
                Consent.objects.filter(
                    user=OuterRef("pk"),
                    action=Consent.Action.AGREED_PRIVACY_NOTICE,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                )
            ),
            equality_done=Exists(EqualityMonitoring.objects.filter(user=OuterRef("pk"))),
        )
        .values("profile_done", "needs_done", "privacy_done", "equality_done")
        .first()
    ) or {}
    progress = {key: bool(row.get(key)) for key in ("profile_done", "needs_done", "privacy_done", "equality_done")}
    progress["complete"] = progress["profile_done"] and progress["needs_done"] and progress["privacy_done"]
    return progress


# Your data: export --------------------------------------------------------------------------------
def export_personal_data(*, user, request=None) -> dict:
    """Everything held about the person, for their own download. Audited."""
    data = personal_data.export_for(user)
    audit.record("personal_data.exported", actor=user, subject=user, request=request)
    return {
        "about": "Everything the Co-production Portal holds about you.",
        "exported_at": timezone.now().isoformat(),
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        **data,
    }


def _when(value):
    return value.isoformat() if value else None


TWO_STEP_KINDS = {"totp": "Authenticator app", "recovery_codes": "Recovery codes", "webauthn": "Security key"}


def export_account(user) -> dict:
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    authenticators = Authenticator.objects.filter(user=user).order_by("created_at")
    activity = AuditEntry.objects.filter(actor=user).order_by("-occurred_at")
    return {
        "name": user.name,
        "email": user.email,
        "joined": _when(user.date_joined),
        "last_signed_in": _when(user.last_login),
        "roles": sorted(group.name for group in user.groups.all()),
        "email_addresses": [{"email": e.email, "verified": e.verified, "primary": e.primary} for e in emails],
        # The kind of two-step verification only: never its secret.
        "two_step_verification": [
            {"kind": TWO_STEP_KINDS.get(a.type, a.type), "set_up": _when(a.created_at)} for a in authenticators
        ],
        "activity": [
            {
                "when": _when(entry.occurred_at),
                "what": entry.action,
                "about": f"{entry.subject_type} {entry.subject_id}".strip(),
                "detail": entry.detail,
                "ip_address": entry.ip_address,
            }
            for entry in activity
        ],
    }


def export_profile(user) -> dict | None:
    profile = Profile.objects.filter(user=user).prefetch_related("lived_experience").first()
    if profile is None:
        return None
    return {
        "preferred_name": profile.preferred_name,
        "pronouns": profile.pronouns,
        "contact_by": profile.contact_methods_label.split(", ") if profile.contact_methods else [],
        "phone": profile.phone,
        "postal_address": profile.postal_address,
        "lived_experience": [tag.name for tag in profile.lived_experience.all()],
        "payment_preference": profile.get_payment_preference_display() if profile.payment_preference else "",
        "happy_to_hear_about_new_opportunities": profile.happy_to_be_contacted,
        "first_completed": _when(profile.completed_at),
        "last_changed": _when(profile.updated_at),
    }


def export_access_needs(user) -> dict | None:
    record = access_needs_of(user)
    if record is None:
        return None
    return {"needs": record.labels, "something_else": record.other_details, "last_changed": _when(record.updated_at)}


def export_equality_answers(user) -> dict | None:
    # The owner's own download: allowed, and audited like every read.
    record = read_equality_answers(user=user, purpose="export")
    if record is None:
        return None
    answers = {
        question: {"answer": record.answer_label(question), "code": getattr(record, question)}
        for question in EqualityMonitoring.QUESTIONS
    }
    answers["ethnicity"]["nhs_ethnic_category_code"] = record.ethnicity_nhs_code
    return {"answers": answers, "last_changed": _when(record.updated_at)}


def export_consents(user) -> list:
    return [
        {
            "what": consent.get_action_display(),
            "privacy_notice_version": consent.privacy_notice_version,
            "when": _when(consent.recorded_at),
        }
        for consent in Consent.objects.filter(user=user)
    ]


def export_deletion_requests(user) -> list:
    return [
        {
            "asked": _when(item.requested_at),
            "delete_after": _when(item.erase_after),
            "cancelled": _when(item.cancelled_at),
            "done": _when(item.completed_at),
        }
        for item in DeletionRequest.objects.filter(user=user)
    ]


def export_programmes(user) -> dict:
    from programmes.models import LadderRating, Participant, TeamMembership

    participations = Participant.objects.filter(member=user).select_related("project__programme")
    ratings = LadderRating.objects.filter(rated_by=user).select_related("involvement_point__project")
    teams = TeamMembership.objects.filter(user=user).select_related("programme")
    return {
        "projects": [
            {
                "project": p.project.name,
                "programme": p.project.programme.name,
                "status": p.get_status_display(),
                "invited": _when(p.created_at),
                "answered": _when(p.responded_at),
                "message_to_you": p.message,
            }
            for p in participations.order_by("created_at")
        ],
        "ladder_ratings": [
            {
                "involvement_point": r.involvement_point.title,
                "project": r.involvement_point.project.name,
                "rung_reached": r.get_level_display(),
                "comment": r.comment,
                "when": _when(r.rated_at),
            }
            for r in ratings.order_by("rated_at")
        ],
        "programme_teams": [
            {"programme": t.programme.name, "role": t.get_role_display(), "since": _when(t.added_at)}
            for t in teams.order_by("added_at")
        ],
    }


# Your data: erasure of each topic (called through personal_data.erase_for) ---------------------------
def erase_profile(user) -> None:
    Profile.objects.filter(user=user).delete()


def erase_access_needs(user) -> None:
    AccessNeeds.objects.filter(user=user).delete()


def erase_equality_answers(user) -> None:
    EqualityMonitoring.objects.filter(user=user).delete()


def erase_programmes(user) -> None:
    """Free text about or by the person goes; the fact that someone took part, and the rung they
    rated, stay for the programme's figures."""
    from programmes.models import LadderRating, Participant

    LadderRating.objects.filter(rated_by=user).exclude(comment="").update(comment="")
    Participant.objects.filter(member=user).exclude(message="").update(message="", updated_at=timezone.now())


# Deletion -----------------------------------------------------------------------------------------
def pending_deletion(user) -> DeletionRequest | None:
    return DeletionRequest.objects.pending().filter(user=user).first()


def may_delete_own_account(user) -> bool:
    """Members may ask; an account with a staff-side role is closed by an administrator instead,
    because decisions they made are kept against it."""
    return user.is_authenticated and user.has_role(Role.MEMBER) and not user.needs_mfa


@transaction.atomic
def request_deletion(*, user, request=None) -> DeletionRequest:
    if not may_delete_own_account(user):
        raise DataRightsError("Your account has a staff role. Ask an administrator to close it.")
    if pending_deletion(user) is not None:
        raise DataRightsError("You have already asked us to delete your account.")
    try:
        with transaction.atomic():
            deletion = DeletionRequest.objects.create(user=user)
    except IntegrityError as error:  # a second click at the same moment
        raise DataRightsError("You have already asked us to delete your account.") from error
    audit.record("account.deletion_requested", actor=user, subject=deletion, request=request)
    queue_templated_email(
        "people/email/deletion_requested",
        to=user.email,
        context={
            "user": user,
            "deletion": deletion,
            "cancel_url": settings.SITE_URL + reverse("people:delete_account"),
        },
    )
    return deletion


@transaction.atomic
def cancel_deletion(*, user, request=None) -> DeletionRequest:
    deletion = pending_deletion(user)
    now = timezone.now()
    # Conditional: the erasure job may have claimed it a moment ago.
    if deletion is None or not DeletionRequest.objects.pending().filter(pk=deletion.pk).update(
        cancelled_at=now, updated_at=now
    ):
        raise DataRightsError("There is no request to delete your account to cancel.")
    deletion.refresh_from_db()
    audit.record("account.deletion_cancelled", actor=user, subject=deletion, request=request)
    queue_templated_email("people/email/deletion_cancelled", to=user.email, context={"user": user})
    return deletion


def erase_due_accounts(now=None) -> int:
    """Anonymise everyone whose cooling-off period is over. Safe to run twice, or twice at once:
    each request is claimed with a conditional update before anything is erased."""
    now = now or timezone.now()
    erased = 0
    for deletion_id in list(DeletionRequest.objects.due(now).values_list("pk", flat=True)):
        erased += _erase_one(deletion_id, now)
    return erased


@transaction.atomic
def _erase_one(deletion_id: int, now) -> int:
    claimed = DeletionRequest.objects.due(now).filter(pk=deletion_id).update(completed_at=now, updated_at=now)
    if not claimed:
        return 0
    deletion = DeletionRequest.objects.select_related("user").get(pk=deletion_id)
    user = deletion.user
    old_email = user.email
    erase_person(user)
    audit.record("account.erased", subject=deletion)
    queue_templated_email("people/email/deletion_completed", to=old_email, context={})
    return 1


def erase_person(user) -> None:
    """Anonymise the person: every topic erases its own data, then the account itself. Money
    records the law requires stay (their topics keep them), linked to the anonymous account."""
    personal_data.erase_for(user)
    token = uuid.uuid4().hex
    user.name = f"Deleted member {token[:8]}"
    user.email = f"deleted-{token}@invalid.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # Where they signed in from is personal data too; what they did stays in the audit trail.
    AuditEntry.objects.filter(actor=user).exclude(ip_address=None).update(ip_address=None)
