"""Bulk demo data for people, at the benchmark's volumes (`seed_demo --scale large`).

`seed_large(users, members, projects)` gives the bench members profiles, access needs, consent
history and equality answers; publishes opportunities on the projects and fills them with
applications (answers, decisions with reasons, equality snapshots taken when people applied, and
participants for the people selected); and adds courses, sessions, bookings and training records.

Invented people and values only; the same data every run (a fixed random seed), dated relative to
today. Rows are bulk-inserted: no services, so no audit rows and no email. Whatever a service would
write alongside a row is written here too, so the pages see data as the portal itself makes it.
"""

import bisect
import datetime
import random
from contextlib import contextmanager
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from people.models import (
    PRIVACY_NOTICE_VERSION,
    AccessNeeds,
    Application,
    ApplicationAnswer,
    ApplicationDecision,
    Consent,
    Course,
    EqualityMonitoring,
    EqualitySnapshot,
    LivedExperienceTag,
    Opportunity,
    OpportunityQuestion,
    Profile,
    TrainingBooking,
    TrainingRecord,
    TrainingSession,
)
from people.models.opportunities import CHARACTERISTICS
from people.models.training import EXPIRY_WARNING_DAYS
from programmes.models import Participant

BATCH = 5000
AppStatus = Application.Status
Booking = TrainingBooking.Status


# Shared helpers (recognition.demo uses them too) ----------------------------------------------------
def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`day` at hour:minute, local (Europe/London) time, timezone-aware."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    """A moment between `start` and `end` (`start` itself when the range is empty), to the minute."""
    if end <= start:
        return start
    return max(start, (start + (end - start) * rng.random()).replace(second=0, microsecond=0))


def weighted(rng: random.Random, table: dict, k: int) -> list:
    """`k` values drawn from {value: weight}."""
    return rng.choices(list(table), cum_weights=list(accumulate(table.values())), k=k)


@contextmanager
def own_timestamps(*models):
    """Let bulk_create keep the `created_at`/`updated_at` the seed sets (a claim made in March says
    March), instead of stamping every row with the moment the seed ran. Restored afterwards."""
    fields = [model._meta.get_field(name) for model in models for name in ("created_at", "updated_at")]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def joined_on(member, today: datetime.date, *, window_days: int = 365) -> datetime.date:
    """The first day a member can have done anything: when they joined, but never before the start
    of the seeded period. Accounts made just now (not back-dated by seed_large) count from the start."""
    start = today - datetime.timedelta(days=window_days)
    joined = timezone.localtime(member.date_joined).date() if member.date_joined else start
    return start if joined >= today else max(start, joined)


# Invented values -------------------------------------------------------------------------------------
TAGS = [
    ("Breathing and lung conditions", "Living with asthma, COPD or another lung condition."),
    ("Diabetes", "Living with type 1 or type 2 diabetes, or caring for someone who does."),
    ("Mental health", "Your own mental health, or supporting someone with theirs."),
    ("Dementia", "Living with dementia, or caring for someone who has it."),
    ("Unpaid carers", "Looking after a family member or friend without being paid."),
    ("Learning disability", "Having a learning disability, or supporting someone who has one."),
    ("Autism", "Being autistic, or supporting someone who is."),
    ("Pregnancy and birth", "Using maternity services in the last few years."),
    ("Long-term pain", "Living with pain that lasts for months or years."),
    ("Sight loss", "Being blind or partially sighted."),
    ("Deaf and hard of hearing", "Being Deaf, deafened or hard of hearing."),
    ("Cancer", "Having had cancer, or caring for someone who has."),
]
FIRST_NAMES = ["Alex", "Sam", "Jo", "Priya", "Kwame", "Mei", "Aled", "Siobhan", "Tariq", "Ewa", "Nia", "Oluwaseun"]
PRONOUNS = {"": 70, "she/her": 14, "he/him": 11, "they/them": 5}
PAYMENT = {"payment": 65, "voucher": 15, "no_payment": 12, "": 8}
CONTACT = {True: 70, False: 15, None: 15}

# Equality answers: invented shares, roughly like an English city. "" means not answered.
PNTS = "prefer_not_to_say"
EQUALITY = {
    "age_band": {
        "under_18": 1, "18_24": 8, "25_34": 14, "35_44": 15, "45_54": 16, "55_64": 17, "65_74": 15,
        "75_plus": 9, PNTS: 3, "": 2,
    },
    "sex": {"female": 55, "male": 40, PNTS: 3, "": 2},
    "gender_same_as_birth": {"yes": 90, "no": 2, PNTS: 4, "": 4},
    "sexual_orientation": {"straight": 82, "gay_lesbian": 4, "bisexual": 3, "other": 1, PNTS: 7, "": 3},
    "ethnicity": {
        "white_british": 69, "white_irish": 1, "white_gypsy_traveller": 0.3, "white_roma": 0.2, "white_other": 5,
        "mixed_white_black_caribbean": 1, "mixed_white_black_african": 0.6, "mixed_white_asian": 1,
        "mixed_other": 0.8, "asian_indian": 3, "asian_pakistani": 3.5, "asian_bangladeshi": 1, "asian_chinese": 1,
        "asian_other": 1, "black_caribbean": 1.5, "black_african": 2.5, "black_other": 0.5, "other_arab": 0.6,
        "other_any": 0.6, PNTS: 3, "": 1,
    },
    "disability": {"yes_a_lot": 15, "yes_a_little": 20, "no": 58, PNTS: 4, "": 3},
    "religion": {
        "none": 40, "christian": 41, "buddhist": 0.5, "hindu": 2, "jewish": 0.5, "muslim": 7, "sikh": 1,
        "other": 1, PNTS: 5, "": 2,
    },
    "carer": {"yes": 25, "no": 68, PNTS: 4, "": 3},
    # Invented postcode districts of the invented Northbrook area.
    "postcode_district": {**{f"NB{n}": 10 - n % 7 for n in range(1, 19)}, "": 10},
}  # fmt: skip
ACCESS_NEEDS = {
    "easy_read": 0.25, "large_print": 0.2, "bsl_interpreter": 0.08, "hearing_loop": 0.15,
    "step_free_access": 0.35, "companion": 0.2, "other": 0.1,
}  # fmt: skip
OTHER_NEEDS = [
    "Papers a week before the meeting, please.",
    "A quiet room to take a break in.",
    "Meetings after 10am, because of my medication.",
    "Information sent by email, not post.",
]

LEVEL_ROLES = {
    1: ("Tell us what you think about {topic} services", "Answer a short survey online or on paper.",
        "About 20 minutes, once", (20, 60)),
    2: ("Join a workshop about {topic} support", "Come to one workshop and help us shape what we do next.",
        "One 3-hour workshop", (8, 16)),
    3: ("Join our {topic} working group", "Meet with staff and other members every month to shape the work.",
        "2 hours a month for 12 months", (5, 12)),
    4: ("Be a lived experience partner on the {topic} programme board",
        "Sit on the programme board as an equal member and help make its decisions.",
        "A half-day meeting every month for 2 years", (1, 3)),
}  # fmt: skip
PAYMENT_DETAILS = {
    1: "",
    2: "We pay your travel and other out-of-pocket costs.",
    3: "Paid by the hour at level 3 of our rate card, or a voucher if you prefer. Expenses paid too.",
    4: "Paid for each half or full day at level 4 of our rate card, or a voucher if you prefer. Expenses paid too.",
}
PLACES = ["Northbrook Community Centre, 14 Mill Lane", "Riverside Library, Market Street", "Northbrook Town Hall"]
QUESTIONS = [
    "Tell us why you would like to take part.",
    "What experience would you bring? This can be your own experience, or caring for someone.",
]
ANSWERS = [
    "I have used these services for years and I know what works and what does not.",
    "I care for my mum and I want other carers to have an easier time than we did.",
    "I want to help make the service better for people like me.",
    "I have been on a patient group before and I enjoyed working with staff.",
    "I was diagnosed two years ago and I remember how confusing it all was.",
    "I speak two languages and can help make information clearer for my community.",
]
APPLICATION_SUPPORT = [
    "A BSL interpreter for the interview, please.",
    "I would like the questions in Easy Read.",
    "I need step-free access to the building.",
    "Please call me rather than email.",
]
REASONS = {
    AppStatus.SHORTLISTED: [
        "Meets the criteria: has lived experience of {topic} and told us clearly what they would bring.",
        "Meets the criteria: gave clear examples of their experience and can come to the meetings.",
    ],
    AppStatus.NOT_SHORTLISTED: [
        "Did not tell us about lived experience of {topic}, which is the first criterion.",
        "Many strong applications: others showed more of the experience the criteria ask for.",
    ],
    AppStatus.SELECTED: ["Showed the experience and skills we asked for, and can come to the meetings."],
    AppStatus.NOT_SELECTED: [
        "A strong application, but others matched the criteria more closely. We will tell you about similar roles."
    ],
    AppStatus.WAITING_LIST: ["Meets the criteria. We will offer a place if one comes free."],
}
COURSES = [
    # code, title, audience, format, length, valid for months, required for
    ("COP-ESS", "Co-production essentials", "both", "e_learning", "1 hour", 36, "programme_staff"),
    ("WELCOME", "Welcome to the co-production network", "members", "in_person", "2 hours", None, "members"),
    ("SAFE-1", "Safeguarding adults: level 1", "both", "e_learning", "45 minutes", 36, "none"),
    ("CHAIR", "Chairing inclusive meetings", "both", "online", "3 hours", None, "none"),
    ("EDI", "Equality, diversity and inclusion", "both", "e_learning", "1 hour", 12, "none"),
    ("DATA-SEC", "Keeping personal data safe", "staff", "e_learning", "1 hour", 12, "programme_staff"),
    ("PANEL", "Sitting on a fair recruitment panel", "both", "in_person", "Half a day", 24, "none"),
    ("STORY", "Telling your story safely", "members", "in_person", "3 hours", None, "none"),
]


# Entry point --------------------------------------------------------------------------------------
def seed_large(
    users: dict,
    members: list,
    projects: list,
    *,
    opportunities: int = 200,
    applications: int = 40_000,
    training_records: int = 30_000,
    seed: int = 2026,
) -> dict:
    """Profiles and equality answers for every member, `opportunities` opportunities with
    `applications` applications, and `training_records` training records. Bulk-inserted."""
    rng = random.Random(seed)  # noqa: S311  (the same invented data every run, not security)
    today = timezone.localdate()
    now = timezone.now()
    staff = [users["staff@example.org"], users["staff2@example.org"]]
    members = list(members)
    _back_date_members(rng, members, today)
    tags = _tags()
    with own_timestamps(
        Profile, AccessNeeds, EqualityMonitoring, Opportunity, Application, Participant,
        TrainingSession, TrainingBooking, TrainingRecord,
    ):  # fmt: skip
        answers = _profiles(rng, members, tags, today, now)
        new_opportunities = _opportunities(rng, projects, staff, tags, today, now, opportunities)
        counts = _applications(rng, new_opportunities, members, answers, today, now, applications)
        counts["training_records"] = _training(rng, members, staff, today, now, training_records)
    return {"members": members, "opportunities": new_opportunities, **counts}


def _back_date_members(rng, members, today) -> None:
    """Spread the bench members' join dates over the last 15 months (most joined early on)."""
    for member in members:
        days_ago = int(rng.triangular(45, 450, 400))
        member.date_joined = aware(today - datetime.timedelta(days=days_ago), rng.randint(8, 21), rng.randrange(60))
    get_user_model().objects.bulk_update(members, ["date_joined"], batch_size=2000)


def _tags() -> list:
    existing = {tag.name: tag for tag in LivedExperienceTag.objects.all()}
    LivedExperienceTag.objects.bulk_create(
        [
            LivedExperienceTag(name=name, slug=slugify(name), description=text)
            for name, text in TAGS
            if name not in existing
        ]
    )
    return list(LivedExperienceTag.objects.filter(name__in=[name for name, _ in TAGS]).order_by("pk"))


# Profiles, access needs, consent and equality answers ---------------------------------------------
def _profiles(rng, members, tags, today, now) -> dict:
    """Returns {user id: equality answers}, for the snapshots taken when people apply."""
    has_profile = set(Profile.objects.filter(user__in=members).values_list("user_id", flat=True))
    has_answers = set(EqualityMonitoring.objects.filter(user__in=members).values_list("user_id", flat=True))
    has_needs = set(AccessNeeds.objects.filter(user__in=members).values_list("user_id", flat=True))
    n = len(members)
    pronouns, payment, contact = weighted(rng, PRONOUNS, n), weighted(rng, PAYMENT, n), weighted(rng, CONTACT, n)
    columns = {question: weighted(rng, table, n) for question, table in EQUALITY.items()}
    profiles, equality, needs, consents, answers = [], [], [], [], {}
    for i, member in enumerate(members):
        joined = member.date_joined
        completed = joined + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 7, 20]), minutes=rng.randint(5, 90))
        completed = min(completed, now) if rng.random() < 0.92 else None  # a few never finished their profile
        by_phone, by_post = rng.random() < 0.3, rng.random() < 0.1
        if member.pk not in has_profile:
            profiles.append(
                Profile(
                    user_id=member.pk,
                    preferred_name=member.name.split()[0] if rng.random() < 0.3 else "",
                    pronouns=pronouns[i],
                    contact_by_email=rng.random() < 0.95,
                    contact_by_phone=by_phone,
                    contact_by_post=by_post,
                    phone=f"07700 900{rng.randrange(1000):03d}" if by_phone else "",  # Ofcom's drama numbers
                    postal_address=f"{rng.randint(1, 99)} Example Street, Northbrook NB{rng.randint(1, 18)} 1AA"
                    if by_post
                    else "",
                    payment_preference=payment[i],
                    happy_to_be_contacted=contact[i],
                    completed_at=completed,
                    created_at=joined,
                    updated_at=completed or joined,
                )
            )
        consents.append(
            Consent(
                user_id=member.pk,
                action=Consent.Action.AGREED_PRIVACY_NOTICE,
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
                recorded_at=joined,
            )
        )
        if contact[i] is not None and completed:
            action = Consent.Action.CONTACT_GIVEN if contact[i] else Consent.Action.CONTACT_WITHDRAWN
            consents.append(
                Consent(
                    user_id=member.pk,
                    action=action,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                    recorded_at=completed,
                )
            )
        answered = min(now, joined + datetime.timedelta(days=rng.randint(0, 30), minutes=rng.randint(10, 120)))
        values = {question: columns[question][i] for question in EQUALITY}
        if rng.random() < 0.04:  # skipped every question but one
            values = {question: (value if question == "age_band" else "") for question, value in values.items()}
        answers[member.pk] = values
        if member.pk not in has_answers:
            equality.append(EqualityMonitoring(user_id=member.pk, created_at=answered, updated_at=answered, **values))
        if rng.random() < 0.18 and member.pk not in has_needs:
            chosen = {need for need, share in ACCESS_NEEDS.items() if rng.random() < share} or {"step_free_access"}
            needs.append(
                AccessNeeds(
                    user_id=member.pk,
                    **dict.fromkeys(chosen, True),
                    other_details=rng.choice(OTHER_NEEDS) if "other" in chosen else "",
                    created_at=answered,
                    updated_at=answered,
                )
            )
    profiles = Profile.objects.bulk_create(profiles, batch_size=BATCH)
    Through = Profile.lived_experience.through
    Through.objects.bulk_create(
        [
            Through(profile_id=profile.pk, livedexperiencetag_id=tag.pk)
            for profile in profiles
            if rng.random() < 0.8
            for tag in rng.sample(tags, rng.randint(1, 3))
        ],
        batch_size=BATCH,
    )
    EqualityMonitoring.objects.bulk_create(equality, batch_size=BATCH)
    AccessNeeds.objects.bulk_create(needs, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    return answers


# Opportunities --------------------------------------------------------------------------------------
def _opportunities(rng, projects, staff, tags, today, now, count) -> list:
    """`count` opportunities on the projects: a few drafts, some open, the rest closed (most with
    shortlisting and selection finished, some filled). Their status is held on `_stage` for later."""
    chosen = rng.sample(projects, min(count, len(projects)))
    rows, topics = [], []
    for i in range(count):
        project = chosen[i % len(chosen)]
        level = int(weighted(rng, {1: 10, 2: 30, 3: 45, 4: 15}, 1)[0])
        title, what, time_needed, (fewest, most) = LEVEL_ROLES[level]
        tag = rng.choice(tags)
        published_on = today - datetime.timedelta(days=rng.randint(3, 350))
        closing = published_on + datetime.timedelta(days=rng.randint(21, 42))
        where = rng.choice(list(Opportunity.Format))
        opportunity = Opportunity(
            project=project,
            title=f"{title.format(topic=tag.name.lower())} ({project.name})",
            what_you_will_do=what,
            time_commitment=time_needed,
            format=where,
            place=rng.choice(PLACES) if where != Opportunity.Format.ONLINE else "",
            involvement_level=level,
            is_paid=level >= 3,
            payment_details=PAYMENT_DETAILS[level],
            offers_travel_support=level >= 2,
            offers_access_support=True,
            offers_carer_support=level >= 3,
            selection_criteria=(
                f"We are looking for people with lived experience of {tag.name.lower()}, who can come to the "
                "meetings and are happy to share their views in a group."
            ),
            places=rng.randint(fewest, most),
            easy_read=f"We want people who know about {tag.name.lower()} to help us. {what} We will help you.",
            blind_shortlisting=rng.random() < 0.85,
            created_by=staff[i % 2],
        )
        opened = aware(published_on, rng.randint(9, 16), rng.randrange(60))
        if i % 40 == 39:
            stage = "draft"
            opportunity.closing_date = today + datetime.timedelta(days=30)
            opportunity.status = Opportunity.Status.DRAFT
            opened = now - datetime.timedelta(days=rng.randint(1, 20))
        else:
            opportunity.closing_date = closing
            opportunity.published_at = opened
            if closing >= today:
                stage, opportunity.status = "open", Opportunity.Status.OPEN
            else:
                opportunity.closed_at = aware(closing + datetime.timedelta(days=1), 0, 5)  # the nightly job
                opportunity.status = Opportunity.Status.CLOSED
                stage = "decided" if closing < today - datetime.timedelta(days=21) else "shortlisting"
            if stage == "decided":
                done = aware(closing + datetime.timedelta(days=rng.randint(5, 12)), 15)
                opportunity.shortlisting_done_at, opportunity.shortlisting_done_by = done, staff[i % 2]
        opportunity.created_at = opened - datetime.timedelta(days=rng.randint(1, 10))
        opportunity.updated_at = opportunity.closed_at or opened
        opportunity._stage, opportunity._tag = stage, tag
        rows.append(opportunity)
    rows = Opportunity.objects.bulk_create(rows, batch_size=BATCH)
    for opportunity in rows:
        topics.append(
            Opportunity.topics.through(opportunity_id=opportunity.pk, livedexperiencetag_id=opportunity._tag.pk)
        )
    Opportunity.topics.through.objects.bulk_create(topics, batch_size=BATCH)
    OpportunityQuestion.objects.bulk_create(
        [
            OpportunityQuestion(opportunity=opportunity, text=text, order=order)
            for opportunity in rows
            for order, text in enumerate(QUESTIONS)
        ],
        batch_size=BATCH,
    )
    questions = {}
    for question in OpportunityQuestion.objects.filter(opportunity__in=rows).order_by("order", "pk"):
        questions.setdefault(question.opportunity_id, []).append(question)
    for opportunity in rows:
        opportunity._questions = questions.get(opportunity.pk, [])
    return rows


def _shares(rng, total: int, capacities: list[int]) -> list[int]:
    """Split `total` over opportunities unevenly (a few are very popular), within each capacity."""
    weights = [rng.lognormvariate(0, 0.9) for _ in capacities]
    scale = total / (sum(weights) or 1)
    shares = [min(cap, int(w * scale)) for w, cap in zip(weights, capacities, strict=True)]
    short = total - sum(shares)
    while short > 0 and any(s < c for s, c in zip(shares, capacities, strict=True)):
        for i in sorted(range(len(shares)), key=lambda i: -weights[i]):
            if short and shares[i] < capacities[i]:
                add = min(short, capacities[i] - shares[i], max(1, short // 10))
                shares[i] += add
                short -= add
    return shares


def _applications(rng, opportunities, members, answers, today, now, total) -> dict:
    published = [o for o in opportunities if o._stage != "draft"]
    by_joining = sorted(members, key=lambda m: m.date_joined)
    joined_days = [timezone.localtime(m.date_joined).date() for m in by_joining]
    eligible = [bisect.bisect_left(joined_days, o.closing_date) for o in published]  # joined before it closed
    shares = _shares(rng, total, eligible)
    applications, decisions, selected = [], [], []  # decisions: (application, outcome, reason, by, at)
    for opportunity, share, cut in zip(published, shares, eligible, strict=True):
        if not share:
            continue
        topic = opportunity._tag.name.lower()
        closes = min(aware(opportunity.closing_date, 23, 0), now - datetime.timedelta(minutes=30))
        closed = min(aware(opportunity.closing_date + datetime.timedelta(days=1), 9), now - datetime.timedelta(hours=2))
        mine = []
        for applicant in rng.sample(by_joining[:cut], share):
            start = max(opportunity.published_at, applicant.date_joined + datetime.timedelta(hours=1))
            submitted = between(rng, start, closes)
            mine.append(
                Application(
                    opportunity=opportunity,
                    applicant=applicant,
                    status=AppStatus.SUBMITTED,
                    access_needs=rng.choice(APPLICATION_SUPPORT) if rng.random() < 0.08 else "",
                    submitted_at=submitted,
                    created_at=submitted,
                    updated_at=submitted,
                )
            )
        mine.sort(key=lambda a: a.submitted_at)
        for number, application in enumerate(mine, start=1):
            application.number = number
            if rng.random() < 0.03:
                application.status = AppStatus.WITHDRAWN
                application.withdrawn_at = between(rng, application.submitted_at, min(closes, now))
                application.updated_at = application.withdrawn_at
        active = [a for a in mine if a.status != AppStatus.WITHDRAWN]
        by = opportunity.shortlisting_done_by or opportunity.created_by

        def decide(application, outcome, at, _topic=topic, _by=by):
            reason = rng.choice(REASONS[outcome]).format(topic=_topic)
            application.status, application.decided_at, application.decision_reason = outcome, at, reason
            application.updated_at = at
            decisions.append((application, outcome, reason, _by, at))

        if opportunity._stage == "shortlisting":
            for application in active:
                if rng.random() < 0.5:
                    outcome = AppStatus.SHORTLISTED if rng.random() < 0.4 else AppStatus.NOT_SHORTLISTED
                    decide(application, outcome, between(rng, closed, now - datetime.timedelta(hours=1)))
        elif opportunity._stage == "decided":
            done = opportunity.shortlisting_done_at
            rng.shuffle(active)
            shortlist = active[: min(len(active), opportunity.places * 3)]
            filled = rng.random() < 0.6 and len(shortlist) >= opportunity.places
            picked = opportunity.places if filled else max(0, min(len(shortlist), opportunity.places) - 1)
            for application in active[len(shortlist) :]:
                decide(application, AppStatus.NOT_SHORTLISTED, between(rng, closed, done))
            last = done
            for index, application in enumerate(shortlist):
                decide(application, AppStatus.SHORTLISTED, between(rng, closed, done))
                if index < picked:
                    outcome = AppStatus.SELECTED
                elif index < picked + 2:
                    outcome = AppStatus.WAITING_LIST
                else:
                    outcome = AppStatus.NOT_SELECTED
                at = between(rng, done + datetime.timedelta(hours=1), min(now, done + datetime.timedelta(days=10)))
                decide(application, outcome, at)
                last = max(last, at)
                if outcome == AppStatus.SELECTED:
                    selected.append(application)
            if filled:
                opportunity.status = Opportunity.Status.FILLED
                opportunity.filled_at = min(now, last + datetime.timedelta(days=1))
            opportunity.updated_at = opportunity.filled_at or done
        applications.extend(mine)
    Opportunity.objects.bulk_update(
        [o for o in published if o._stage == "decided"], ["status", "filled_at", "updated_at"], batch_size=1000
    )
    Application.objects.bulk_create(applications, batch_size=BATCH)
    ApplicationDecision.objects.bulk_create(
        [ApplicationDecision(application=a, outcome=o, reason=r, by=b, at=at) for a, o, r, b, at in decisions],
        batch_size=BATCH,
    )
    ApplicationAnswer.objects.bulk_create(
        [
            ApplicationAnswer(
                application=application, question=question, question_text=question.text, answer=rng.choice(ANSWERS),
                order=order,
            )
            for application in applications
            for order, question in enumerate(application.opportunity._questions)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    passed = {AppStatus.SHORTLISTED, AppStatus.SELECTED, AppStatus.NOT_SELECTED, AppStatus.WAITING_LIST}
    EqualitySnapshot.objects.bulk_create(
        [
            EqualitySnapshot(
                opportunity_id=application.opportunity_id,
                application=application,
                taken_at=application.submitted_at,
                shortlisted=application.status in passed,
                selected=application.status == AppStatus.SELECTED,
                **{name: answers.get(application.applicant_id, {}).get(name, "") for name in CHARACTERISTICS},
            )
            for application in applications
        ],
        batch_size=BATCH,
    )
    # Selected applicants take part in the project from then on (people.services_opportunities.decide).
    Participant.objects.bulk_create(
        [
            Participant(
                project_id=a.opportunity.project_id,
                member_id=a.applicant_id,
                status=Participant.Status.ACTIVE,
                invited_by=a.opportunity.shortlisting_done_by,
                responded_at=a.decided_at,
                created_at=a.decided_at,
                updated_at=a.decided_at,
            )
            for a in selected
        ],
        batch_size=BATCH,
        ignore_conflicts=True,  # already taking part
    )
    return {"applications": len(applications), "decisions": len(decisions), "selected": len(selected)}


# Training -------------------------------------------------------------------------------------------
def _courses() -> list:
    existing = {code.lower() for code in Course.objects.annotate(c=Lower("code")).values_list("c", flat=True)}
    Course.objects.bulk_create(
        [
            Course(
                code=code,
                title=title,
                description=f"{title}: what it means for your work with people with lived experience, in plain "
                "English, with time for questions.",
                audience=audience,
                format=form,
                length=length,
                valid_for_months=valid,
                provider="Northbrook Integrated Care Board",
                required_for=required,
            )
            for code, title, audience, form, length, valid, required in COURSES
            if code.lower() not in existing
        ]
    )
    return list(Course.objects.filter(code__in=[row[0] for row in COURSES]).order_by("pk"))


def _training(rng, members, staff, today, now, total) -> int:
    """About 40% of the records come from attendance at past sessions (with their bookings), the rest
    from imported history (mostly e-learning); plus upcoming sessions with bookings."""
    every_course = _courses()
    courses = [c for c in every_course if c.audience != Course.Audience.STAFF]
    taught = [c for c in courses if c.needs_a_session]
    e_learning = [c for c in courses if not c.needs_a_session]
    starts = {m.pk: joined_on(m, today) for m in members}
    by_start = sorted(members, key=lambda m: starts[m.pk])
    start_days = [starts[m.pk] for m in by_start]
    taken = set()  # (person, course, day): one record per course per day
    records = []
    # Past sessions: about 22 people attend each.
    sessions, bookings = [], []
    attendance_target = int(total * 0.4)
    for index in range((attendance_target + 19) // 20 if taught and members else 0):
        course = taught[index % len(taught)]
        day = today - datetime.timedelta(days=rng.randint(2, 360))
        sessions.append(_session(rng, course, day, staff[index % 2], past=True))
    for index in range(12 if taught else 0):
        day = today + datetime.timedelta(days=rng.randint(3, 60))
        sessions.append(_session(rng, taught[index % len(taught)], day, staff[index % 2], past=False))
    TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
    for session in sessions:
        day = session.day
        can_come = by_start[: bisect.bisect_left(start_days, day - datetime.timedelta(days=7))]
        if not can_come:
            continue
        wanted = (
            rng.randint(session.places - 8, session.places) if session._past else rng.randint(5, session.places + 4)
        )
        people = rng.sample(can_come, min(len(can_come), wanted))
        holding = 0
        for person in people:
            queued = between(
                rng,
                max(aware(starts[person.pk], 9), session.starts_at - datetime.timedelta(days=40)),
                min(now, session.starts_at - datetime.timedelta(days=1)),
            )
            booking = TrainingBooking(
                session=session, person=person, queued_at=queued, created_at=queued, updated_at=queued
            )
            if rng.random() < 0.07:
                booking.status = Booking.CANCELLED
                booking.cancelled_at = booking.updated_at = between(rng, queued, min(now, session.starts_at))
            elif holding >= session.places:
                booking.status = Booking.WAITING  # only upcoming sessions are asked for by more than have places
            else:
                holding += 1
                if not session._past:
                    booking.status = Booking.BOOKED
                elif rng.random() < 0.09:
                    booking.status = Booking.DID_NOT_ATTEND
                    booking.updated_at = session.attendance_marked_at
                else:
                    booking.status = Booking.ATTENDED
                    booking.updated_at = session.attendance_marked_at
                    if len(records) < total and (person.pk, session.course_id, day) not in taken:
                        taken.add((person.pk, session.course_id, day))
                        records.append(
                            TrainingRecord(
                                person_id=person.pk,
                                course=session.course,
                                session=session,
                                completed_on=day,
                                expires_on=session.course.expiry_for(day),
                                evidence=TrainingRecord.Evidence.ATTENDANCE,
                                recorded_by=session.organiser,
                                created_at=session.attendance_marked_at,
                                updated_at=session.attendance_marked_at,
                            )
                        )
            bookings.append(booking)
    TrainingBooking.objects.bulk_create(bookings, batch_size=BATCH)
    # Imported history: e-learning mostly, some older classroom courses.
    imported_from = e_learning * 3 + taught if e_learning else taught
    attempts = 0
    while len(records) < total and members and imported_from and attempts < total * 3:
        attempts += 1
        person = members[rng.randrange(len(members))]
        course = rng.choice(imported_from)
        span = (today - starts[person.pk]).days
        day = starts[person.pk] + datetime.timedelta(days=rng.randint(0, max(0, span - 1)))
        if (person.pk, course.pk, day) in taken:
            continue
        taken.add((person.pk, course.pk, day))
        recorded = min(now, aware(day + datetime.timedelta(days=rng.randint(1, 30)), 11, rng.randrange(60)))
        records.append(
            TrainingRecord(
                person_id=person.pk,
                course=course,
                completed_on=day,
                expires_on=course.expiry_for(day),
                evidence=TrainingRecord.Evidence.IMPORTED,
                recorded_by=staff[attempts % 2],
                created_at=recorded,
                updated_at=recorded,
            )
        )
    _reminders_sent(records, today, now)
    TrainingRecord.objects.bulk_create(records, batch_size=BATCH)
    _staff_records(every_course, staff, today, now)
    return len(records)


def _staff_records(courses, staff, today, now) -> None:
    """The demo staff's own required training: one of them has a course about to expire."""
    required = [c for c in courses if c.required_for == Course.RequiredFor.PROGRAMME_STAFF]
    records = []
    for person, months_ago in ((staff[0], 5), (staff[1], 11)):
        for course in required:
            day = today - datetime.timedelta(days=30 * months_ago + 10 * course.pk % 20)
            recorded = min(now, aware(day, 16))
            records.append(
                TrainingRecord(
                    person=person,
                    course=course,
                    completed_on=day,
                    expires_on=course.expiry_for(day),
                    evidence=TrainingRecord.Evidence.IMPORTED,
                    recorded_by=person,
                    created_at=recorded,
                    updated_at=recorded,
                )
            )
    TrainingRecord.objects.bulk_create(records, ignore_conflicts=True)


def _session(rng, course, day, organiser, *, past: bool) -> TrainingSession:
    starts = aware(day, rng.choice([10, 14]))
    hours = 4 if "day" in course.length else 3 if course.length.startswith("3") else 2
    online = course.format == Course.Format.ONLINE
    session = TrainingSession(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        place="" if online else rng.choice(PLACES),
        joining_link="https://meet.example.org/northbrook-training" if online else "",
        places=30 if online else 25,
        organiser=organiser,
        created_at=starts - datetime.timedelta(days=rng.randint(45, 90)),
    )
    session.updated_at = session.created_at
    if past:
        session.attendance_marked_at = session.updated_at = session.ends_at + datetime.timedelta(hours=1)
        session.attendance_marked_by = organiser
    session._past = past
    return session


def _reminders_sent(records, today, now) -> None:
    """Mark the reminders the daily job would already have sent (people/training.py): 30 days before
    a record expires, and the lapse of a required course, for records nobody has renewed."""
    groups = {}
    for record in records:
        groups.setdefault((record.person_id, record.course_id), []).append(record)
    window = datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    for group in groups.values():
        if any(record.expires_on is None for record in group):
            continue  # a record that never expires renews every other
        latest = max(record.expires_on for record in group)
        for record in (r for r in group if r.expires_on == latest):
            first_run = timezone.localtime(record.created_at).date() + datetime.timedelta(days=1)
            remind_on = max(record.expires_on - window, first_run)
            if remind_on <= record.expires_on and aware(remind_on, 7, 30) <= now:
                record.expiry_reminder_sent_at = aware(remind_on, 7, 30)
            lapse_on = max(record.expires_on + datetime.timedelta(days=1), first_run)
            required = record.course.required_for != Course.RequiredFor.NONE
            if required and lapse_on <= record.expires_on + window and aware(lapse_on, 7, 30) <= now:
                record.lapse_notice_sent_at = aware(lapse_on, 7, 30)


def seed(users: dict) -> dict:
    """The small demo: one open opportunity on the demo project and a course with a session to book.
    Running it again changes nothing."""
    from programmes.models import Project

    if Opportunity.objects.filter(title="Help design lung exercise classes").exists():
        return {}
    today = timezone.localdate()
    now = timezone.now()
    staff = users["staff@example.org"]
    project = Project.objects.get(name="Pulmonary rehab closer to home")
    tag = _tags()[0]
    opportunity = Opportunity.objects.create(
        project=project,
        title="Help design lung exercise classes",
        what_you_will_do="Join four workshops to decide where and when classes run, and what they include.",
        time_commitment="Four workshops of 2 hours each, one a month",
        format=Opportunity.Format.BOTH,
        place="Northbrook Community Centre",
        involvement_level=3,
        is_paid=True,
        payment_details=PAYMENT_DETAILS[3],
        offers_travel_support=True,
        offers_access_support=True,
        offers_carer_support=True,
        selection_criteria=(
            "You live with a lung condition, or care for someone who does, and can come to most workshops."
        ),
        places=8,
        closing_date=today + datetime.timedelta(days=21),
        easy_read="We want people who have lung problems to help us plan exercise classes. We will pay you. "
        "We will help you get there.",
        status=Opportunity.Status.OPEN,
        published_at=now,
        created_by=staff,
    )
    opportunity.topics.add(tag)
    for order, text in enumerate(QUESTIONS):
        OpportunityQuestion.objects.create(opportunity=opportunity, text=text, order=order)
    courses = _courses()
    essentials = courses[0]
    session = TrainingSession.objects.create(
        course=essentials,
        starts_at=aware(today + datetime.timedelta(days=14), 10),
        ends_at=aware(today + datetime.timedelta(days=14), 12),
        place="Northbrook Community Centre",
        places=20,
        organiser=staff,
    )
    return {"opportunity": opportunity, "session": session}
