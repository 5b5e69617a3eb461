"""Member profiles, access needs, consent, equality monitoring and deletion requests.

Special category data (access needs, equality answers) lives in its own tables, apart from the
profile, so it can be guarded, audited and erased on its own:

- `AccessNeeds` is read by the person themselves and by staff on a project they take part in
  (flagged wherever staff see that person), never by anyone else.
- `EqualityMonitoring` is read one person at a time only by its owner (their own form and their own
  download). Everyone else sees totals, with small numbers suppressed. It is deliberately not in the
  Django admin.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel

# Models and the names other topics need; the question tables stay in this module
# (`from people.models.profiles import ETHNIC_GROUPS`) so they cannot clash with another topic's names.
__all__ = [
    "PRIVACY_NOTICE_VERSION",
    "AccessNeed",
    "PaymentPreference",
    "LivedExperienceTag",
    "Profile",
    "AccessNeeds",
    "Consent",
    "EqualityMonitoring",
    "DeletionRequest",
]

# The privacy notice people agree to (templates/coproduction/privacy.html says "version 1").
# Raise it when the notice changes: everyone is then asked to agree again.
PRIVACY_NOTICE_VERSION = "1"
DELETION_COOLING_OFF_DAYS = 14


# Lived experience ---------------------------------------------------------------------------------
class LivedExperienceTagQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class LivedExperienceTag(PortalModel):
    """An area of lived experience a member may say they have (administrators keep the list).

    Opportunities reuse these tags as their topics.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name for web addresses"), max_length=100, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("offer this to members"), default=True)

    objects = LivedExperienceTagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)


# Profile ------------------------------------------------------------------------------------------
class PaymentPreference(models.TextChoices):
    PAYMENT = "payment", _("Payment – money paid to me")
    VOUCHER = "voucher", _("A voucher")
    NO_PAYMENT = "no_payment", _("No payment – I will take part without being paid")


class Profile(PortalModel):
    """How a member likes to be addressed and contacted, and how they want to be thanked.

    The name itself is `User.name` (any script, no title or gender). Access needs and equality
    answers are kept in their own tables.
    """

    PaymentPreference = PaymentPreference

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    preferred_name = models.CharField(_("what you would like us to call you"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=50, blank=True)
    contact_by_email = models.BooleanField(_("happy to be contacted by email"), default=True)
    contact_by_phone = models.BooleanField(_("happy to be contacted by phone"), default=False)
    contact_by_post = models.BooleanField(_("happy to be contacted by post"), default=False)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    lived_experience = models.ManyToManyField(
        LivedExperienceTag, verbose_name=_("lived experience"), blank=True, related_name="profiles"
    )
    payment_preference = models.CharField(
        _("how you would like to be thanked"), max_length=12, choices=PaymentPreference.choices, blank=True
    )
    # Current answer to "may we tell you about new opportunities?"; the history is in Consent.
    happy_to_be_contacted = models.BooleanField(_("happy to hear about new opportunities"), null=True, blank=True)
    completed_at = models.DateTimeField(_("first completed"), null=True, blank=True)

    class Meta:
        ordering = ["user__name"]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def contact_methods(self) -> list[str]:
        return [
            method
            for method, wanted in (
                ("email", self.contact_by_email),
                ("phone", self.contact_by_phone),
                ("post", self.contact_by_post),
            )
            if wanted
        ]

    @property
    def contact_methods_label(self) -> str:
        labels = {"email": _("Email"), "phone": _("Phone"), "post": _("Post")}
        return ", ".join(str(labels[m]) for m in self.contact_methods)


# Access needs (special category data) -------------------------------------------------------------
class AccessNeed(models.TextChoices):
    """Communication and access needs (Accessible Information Standard: ask, record, flag, share, act).

    Each value is also the name of a boolean field on AccessNeeds.
    """

    EASY_READ = "easy_read", _("Easy Read")
    LARGE_PRINT = "large_print", _("Large print")
    BSL_INTERPRETER = "bsl_interpreter", _("British Sign Language (BSL) interpreter")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    STEP_FREE_ACCESS = "step_free_access", _("Step-free access")
    COMPANION = "companion", _("A companion or carer with me")
    OTHER = "other", _("Something else")


# Short names for flags, where staff plan around them ("Access needs: BSL interpreter, …").
SHORT_LABELS = {
    AccessNeed.EASY_READ: _("Easy Read"),
    AccessNeed.LARGE_PRINT: _("large print"),
    AccessNeed.BSL_INTERPRETER: _("BSL interpreter"),
    AccessNeed.HEARING_LOOP: _("hearing loop"),
    AccessNeed.STEP_FREE_ACCESS: _("step-free access"),
    AccessNeed.COMPANION: _("companion or carer"),
}


class AccessNeedsQuerySet(models.QuerySet):
    def for_people(self, people) -> dict:
        """{user id: AccessNeeds} for those of `people` (users or ids) who have any need, in ONE query.

        The caller decides who may see them: staff on a project, for that project's participants.
        """
        ids = {getattr(person, "pk", person) for person in people}
        if not ids:
            return {}
        return {needs.user_id: needs for needs in self.filter(user_id__in=ids) if needs.has_any}


class AccessNeeds(PortalModel):
    AccessNeed = AccessNeed

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_needs")
    easy_read = models.BooleanField(AccessNeed.EASY_READ.label, default=False)
    large_print = models.BooleanField(AccessNeed.LARGE_PRINT.label, default=False)
    bsl_interpreter = models.BooleanField(AccessNeed.BSL_INTERPRETER.label, default=False)
    hearing_loop = models.BooleanField(AccessNeed.HEARING_LOOP.label, default=False)
    step_free_access = models.BooleanField(AccessNeed.STEP_FREE_ACCESS.label, default=False)
    companion = models.BooleanField(AccessNeed.COMPANION.label, default=False)
    other = models.BooleanField(AccessNeed.OTHER.label, default=False)
    other_details = models.TextField(_("what else you need"), blank=True)

    objects = AccessNeedsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "access needs"
        constraints = [
            models.CheckConstraint(
                condition=Q(other=False) | ~Q(other_details=""), name="other_access_need_is_described"
            )
        ]

    def __str__(self):
        return f"Access needs of {self.user_id}"

    @property
    def chosen(self) -> list[str]:
        return [need.value for need in AccessNeed if getattr(self, need.value)]

    @property
    def has_any(self) -> bool:
        return bool(self.chosen)

    @property
    def labels(self) -> list[str]:
        """Full labels, for the person themselves."""
        return [str(AccessNeed(value).label) for value in self.chosen if value != AccessNeed.OTHER]

    @property
    def short_labels(self) -> list[str]:
        """Short labels, plus what "something else" is, for staff planning."""
        labels = [str(SHORT_LABELS[AccessNeed(value)]) for value in self.chosen if value != AccessNeed.OTHER]
        if self.other:
            labels.append(self.other_details)
        return labels

    @property
    def summary(self) -> str:
        text = ", ".join(self.short_labels)
        return text[:1].upper() + text[1:]


# Consent ------------------------------------------------------------------------------------------
class Consent(models.Model):
    """The kept history of a person's agreement to the privacy notice and to being contacted.

    Newest first. Holds no personal data beyond the link to the person, so it stays after erasure as
    the record of what they agreed to.
    """

    class Action(models.TextChoices):
        AGREED_PRIVACY_NOTICE = "agreed_privacy_notice", _("Agreed to the privacy notice")
        CONTACT_GIVEN = "contact_given", _("Happy to hear about new opportunities")
        CONTACT_WITHDRAWN = "contact_withdrawn", _("Does not want to hear about new opportunities")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=30, choices=Action.choices)
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=10)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} (version {self.privacy_notice_version})"


# Equality monitoring (special category data) ------------------------------------------------------
# "Prefer not to say" is an answer; an empty value means the question was not answered.
PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = _("Prefer not to say")


def _with_prefer_not(choices):
    return [*choices, (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL)]


AGE_BANDS = _with_prefer_not(
    [
        ("under_18", _("Under 18")),
        ("18_24", _("18 to 24")),
        ("25_34", _("25 to 34")),
        ("35_44", _("35 to 44")),
        ("45_54", _("45 to 54")),
        ("55_64", _("55 to 64")),
        ("65_74", _("65 to 74")),
        ("75_plus", _("75 or over")),
    ]
)
SEXES = _with_prefer_not([("female", _("Female")), ("male", _("Male"))])
GENDER_SAME_AS_BIRTH = _with_prefer_not([("yes", _("Yes")), ("no", _("No"))])
SEXUAL_ORIENTATIONS = _with_prefer_not(
    [
        ("straight", _("Straight or heterosexual")),
        ("gay_lesbian", _("Gay or lesbian")),
        ("bisexual", _("Bisexual")),
        ("other", _("Other sexual orientation")),
    ]
)
# As the 2021 census asked it (England and Wales).
DISABILITIES = _with_prefer_not([("yes_a_lot", _("Yes, a lot")), ("yes_a_little", _("Yes, a little")), ("no", _("No"))])
RELIGIONS = _with_prefer_not(
    [
        ("none", _("No religion")),
        ("christian", _("Christian")),
        ("buddhist", _("Buddhist")),
        ("hindu", _("Hindu")),
        ("jewish", _("Jewish")),
        ("muslim", _("Muslim")),
        ("sikh", _("Sikh")),
        ("other", _("Any other religion or belief")),
    ]
)
CARER = _with_prefer_not([("yes", _("Yes")), ("no", _("No"))])

# Ethnic group: the 2021 census categories for England and Wales (ONS), 19 in 5 groups.
# Each row: (our key, label, NHS Data Dictionary ETHNIC CATEGORY code).
#
# The NHS code is the national "Ethnic Category" (England) code, which still follows the 2001
# census (A–S, and Z for "not stated"). The 2021 census added three categories that code list has
# no code of its own for: Gypsy or Irish Traveller, Roma and Arab. We are not aware of national
# codes for them (some local systems use extensions such as "C1"/"C2"; we do not invent those), so
# they take their group's "any other" code: C for the two White categories, S for Arab. Our own key
# keeps the 2021 answer exactly, so reports can use either. Chinese moved into the Asian group in
# 2021 and keeps code R. Check against the current NHS Data Dictionary before sending any national
# return.
ETHNIC_GROUPS = [
    (
        _("White"),
        [
            ("white_british", _("English, Welsh, Scottish, Northern Irish or British"), "A"),
            ("white_irish", _("Irish"), "B"),
            ("white_gypsy_traveller", _("Gypsy or Irish Traveller"), "C"),  # 2021 addition: no own code
            ("white_roma", _("Roma"), "C"),  # 2021 addition: no own code
            ("white_other", _("Any other White background"), "C"),
        ],
    ),
    (
        _("Mixed or Multiple ethnic groups"),
        [
            ("mixed_white_black_caribbean", _("White and Black Caribbean"), "D"),
            ("mixed_white_black_african", _("White and Black African"), "E"),
            ("mixed_white_asian", _("White and Asian"), "F"),
            ("mixed_other", _("Any other Mixed or Multiple ethnic background"), "G"),
        ],
    ),
    (
        _("Asian, Asian British or Asian Welsh"),
        [
            ("asian_indian", _("Indian"), "H"),
            ("asian_pakistani", _("Pakistani"), "J"),
            ("asian_bangladeshi", _("Bangladeshi"), "K"),
            ("asian_chinese", _("Chinese"), "R"),
            ("asian_other", _("Any other Asian background"), "L"),
        ],
    ),
    (
        _("Black, Black British, Black Welsh, Caribbean or African"),
        [
            ("black_caribbean", _("Caribbean"), "M"),
            ("black_african", _("African"), "N"),
            ("black_other", _("Any other Black, Black British or Caribbean background"), "P"),
        ],
    ),
    (
        _("Other ethnic group"),
        [
            ("other_arab", _("Arab"), "S"),  # 2021 addition: no own code
            ("other_any", _("Any other ethnic group"), "S"),
        ],
    ),
]
NOT_STATED_CODE = "Z"  # NHS Data Dictionary: "Not stated" (the person chose not to say)
ETHNICITIES = {
    key: {"label": label, "group": group, "nhs_code": code}
    for group, rows in ETHNIC_GROUPS
    for key, label, code in rows
}
ETHNICITY_CHOICES = [
    *((group, [(key, label) for key, label, _code in rows]) for group, rows in ETHNIC_GROUPS),
    (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL),
]

POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


class EqualityMonitoringQuerySet(models.QuerySet):
    def answered_count(self, user) -> int | None:
        """How many questions the person answered (None: never asked), counted in the database so
        no answer is read."""
        answered = sum(
            (models.Case(models.When(~Q(**{name: ""}), then=1), default=0) for name in EqualityMonitoring.QUESTIONS),
            models.Value(0),
        )
        return self.filter(user=user).annotate(answered=answered).values_list("answered", flat=True).first()


class EqualityMonitoring(PortalModel):
    """One member's optional equality monitoring answers. Empty means not answered.

    Never shown one person at a time to anyone but its owner; every read is audited
    (see people.services_profiles). Not registered in the Django admin, on purpose.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equality_monitoring")
    age_band = models.CharField(_("age"), max_length=20, blank=True, choices=AGE_BANDS)
    sex = models.CharField(_("sex"), max_length=20, blank=True, choices=SEXES)
    gender_same_as_birth = models.CharField(
        _("gender identity the same as sex registered at birth"),
        max_length=20,
        blank=True,
        choices=GENDER_SAME_AS_BIRTH,
    )
    sexual_orientation = models.CharField(
        _("sexual orientation"), max_length=20, blank=True, choices=SEXUAL_ORIENTATIONS
    )
    ethnicity = models.CharField(_("ethnic group"), max_length=40, blank=True, choices=ETHNICITY_CHOICES)
    disability = models.CharField(_("disability"), max_length=20, blank=True, choices=DISABILITIES)
    religion = models.CharField(_("religion or belief"), max_length=20, blank=True, choices=RELIGIONS)
    carer = models.CharField(_("carer"), max_length=20, blank=True, choices=CARER)
    postcode_district = models.CharField(_("postcode district"), max_length=20, blank=True)

    QUESTIONS = [
        "age_band",
        "sex",
        "gender_same_as_birth",
        "sexual_orientation",
        "ethnicity",
        "disability",
        "religion",
        "carer",
        "postcode_district",
    ]

    objects = EqualityMonitoringQuerySet.as_manager()

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"

    def __str__(self):
        # Never the answers: this string can end up in logs and admin messages.
        return f"Equality monitoring answers {self.public_id}"

    @property
    def answered_count(self) -> int:
        return sum(1 for name in self.QUESTIONS if getattr(self, name))

    @property
    def ethnicity_nhs_code(self) -> str:
        if self.ethnicity == PREFER_NOT_TO_SAY:
            return NOT_STATED_CODE
        row = ETHNICITIES.get(self.ethnicity)
        return row["nhs_code"] if row else ""

    def answer_label(self, name: str) -> str:
        value = getattr(self, name)
        if not value:
            return ""
        if value == PREFER_NOT_TO_SAY:
            return str(PREFER_NOT_TO_SAY_LABEL)
        if name == "postcode_district":
            return value
        if name == "ethnicity":
            row = ETHNICITIES.get(value)
            return f"{row['group']}: {row['label']}" if row else value
        return str(dict(self._meta.get_field(name).flatchoices).get(value, value))


# Deletion -----------------------------------------------------------------------------------------
def _erase_after():
    return timezone.now() + timedelta(days=DELETION_COOLING_OFF_DAYS)


class DeletionRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(cancelled_at__isnull=True, completed_at__isnull=True)

    def due(self, now):
        return self.pending().filter(erase_after__lte=now)


class DeletionRequest(PortalModel):
    """A person asked for their account to be deleted. After the cooling-off period a scheduled job
    anonymises them, unless they cancelled first. Kept afterwards as the record that it was done."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_requests")
    requested_at = models.DateTimeField(default=timezone.now)
    erase_after = models.DateTimeField(default=_erase_after)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # At most one waiting request per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(cancelled_at__isnull=True, completed_at__isnull=True),
                name="one_pending_deletion_request_per_person",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(completed_at__isnull=True),
                name="deletion_request_not_both_cancelled_and_completed",
            ),
        ]

    def __str__(self):
        return f"Deletion request {self.public_id}"

    @property
    def is_pending(self) -> bool:
        return self.cancelled_at is None and self.completed_at is None

    @property
    def status_label(self) -> str:
        if self.completed_at:
            return _("Done")
        if self.cancelled_at:
            return _("Cancelled")
        return _("Waiting")
