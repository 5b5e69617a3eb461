"""Demo recognition data: invented time, rewards and an expense claim for the demo member.

Call after programmes.demo.seed(users): `recognition.demo.seed(users)`. Running it again changes
nothing. Uses the services, so every row is as the portal itself would write it (audit included).

`seed_large(users, members, projects)` is the benchmark's volume (`seed_demo --scale large`):
200,000 involvement logs with their rewards, 20,000 expense claims and a year of monthly payment
batches, bulk-inserted without the services (see its docstring).
"""

import bisect
import random
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from people.demo import aware, between, joined_on, own_timestamps, weighted
from people.models import Profile
from programmes.models import InvolvementLevel, InvolvementPoint, Participant, Project
from recognition import services
from recognition.models import (
    Activity,
    ExpenseCategory,
    ExpenseClaim,
    ExpenseItem,
    ExpensePolicy,
    InvolvementLog,
    PaymentBatch,
    RateCard,
    RateCardLine,
    Reward,
    RewardChoice,
)
from recognition.models.rates import Price
from recognition.money import ZERO, add_months, to_money


def tiny_png() -> bytes:
    """A real 1×1 white PNG, for a demo receipt."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def seed(users: dict) -> dict:
    member = users["member@example.org"]
    staff = users["staff@example.org"]
    if InvolvementLog.objects.filter(member=member).exists():
        return {}
    project = Project.objects.filter(name="Pulmonary rehab closer to home").first()
    if project is None:
        return {}
    today = timezone.localdate()
    level3 = InvolvementLevel.objects.filter(number=3).first()
    level4 = InvolvementLevel.objects.filter(number=4).first()
    participant, _created = Participant.objects.get_or_create(
        project=project, member=member, defaults={"status": Participant.Status.ACTIVE, "invited_by": staff}
    )
    if participant.status != Participant.Status.ACTIVE:
        Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.ACTIVE)
    if level3:
        Participant.objects.filter(pk=participant.pk).update(involvement_level=level3)
    point = project.involvement_points.filter(status=InvolvementPoint.Status.HAPPENED).first()
    if point is not None and level4 and point.involvement_level_id is None:
        InvolvementPoint.objects.filter(pk=point.pk).update(involvement_level=level4)
        point.refresh_from_db()

    def logged(days_ago, activity, minutes, *, at_point=False, note=""):
        day = point.planned_date if at_point and point else today - timedelta(days=days_ago)
        return services.log_involvement(
            member=member,
            project=project,
            point=point if at_point else None,
            date=day,
            activity=activity,
            minutes=minutes,
            choice=RewardChoice.PAYMENT,
            note=note,
        )

    # Confirmed: a full-day workshop at the involvement point, and working group meetings.
    if point is not None:
        services.confirm_log(log=logged(0, Activity.WORKSHOP, 300, at_point=True), by=staff)
    services.confirm_log(log=logged(40, Activity.MEETING, 120, note="Working group: leaflet wording."), by=staff)
    services.confirm_log(log=logged(25, Activity.PREPARATION, 90, note="Read the draft patient leaflet."), by=staff)
    # Waiting for staff, and one with a question.
    logged(6, Activity.MEETING, 150, note="Working group: class timetable.")
    services.query_log(
        log=logged(3, Activity.OTHER, 60, note="Phone call with the project lead."),
        by=staff,
        reason="Was this the call about class times? If so, please choose 'Meeting'.",
    )
    # An expense claim: mileage with a receipt (a photo of the parking ticket), and a bus fare.
    claim = services.start_claim(member=member, project=project, point=point, note="Travel to the workshop.")
    services.add_expense_item(
        claim=claim,
        by=member,
        category=ExpenseCategory.MILEAGE,
        date=today - timedelta(days=10),
        description="Drove from home to Northbrook Community Centre and back.",
        miles=Decimal("18.4"),
    )
    services.add_expense_item(
        claim=claim,
        by=member,
        category=ExpenseCategory.PARKING,
        date=today - timedelta(days=10),
        description="Car park at the community centre.",
        amount=Decimal("3.50"),
        receipt=SimpleUploadedFile("parking-ticket.png", tiny_png(), content_type="image/png"),
    )
    claim = services.submit_claim(claim=claim, by=member)
    return {"claim": claim}


# The benchmark's volumes ----------------------------------------------------------------------------
BATCH = 5000
# activity: (weight, minutes to choose from, notes to choose from)
ACTIVITIES = {
    Activity.MEETING: (40, [60, 90, 120, 120, 150, 180], ["Working group meeting.", "Monthly project meeting."]),
    Activity.PREPARATION: (25, [30, 45, 60, 60, 90, 120], ["Read the papers for the next meeting."]),
    Activity.WORKSHOP: (15, [120, 180, 180, 240, 300, 360], ["Design workshop with staff."]),
    Activity.INTERVIEW_PANEL: (8, [180, 240, 300, 420], ["Interview panel for a new post."]),
    Activity.TRAINING_DELIVERED: (5, [60, 90, 120, 180], ["Told my story at a staff training day."]),
    Activity.OTHER: (7, [30, 45, 60, 90], ["Phone call with the project lead.", "Checked the new leaflet."]),
}
QUERY_REASONS = [
    "Was this the working group meeting? If so, please choose 'Meeting'.",
    "The meeting was 2 hours. Can you check the time, please?",
]
REJECT_REASONS = [
    "There was no meeting of this project on that day. Please tell us if we have this wrong.",
    "This time was already logged for the same meeting.",
]
CORRECTION_REASONS = [
    "The meeting finished an hour early, so the time was less than logged.",
    "The time logged included the journey, which is paid as expenses instead.",
]
ITEM_REJECT_REASONS = [
    "Carer costs need to be agreed before the day, as our expenses policy says.",
    "This journey is already on another claim.",
]
STARTING_CARD_FROM = date(2024, 4, 6)  # as recognition's data migration
LEVEL_NAMES = {
    1: "Open-access engagement",
    2: "One-off workshop or focus group",
    3: "Regular working group",
    4: "Senior strategic role",
}


def seed_large(
    users: dict,
    members: list,
    projects: list,
    *,
    logs: int = 200_000,
    claims: int = 20_000,
    days: int = 365,
    correction_rate: float = 0.0025,
    seed: int = 2026,
) -> dict:
    """A year of recognition for the members taking part in `projects`, bulk-inserted:

    - `logs` involvement logs: attendance recorded by staff at involvement points that happened,
      and time members logged themselves (recent ones still waiting or queried, a few rejected);
    - a reward for every confirmed log, priced here from the rate card lines in force on the log's
      date (the same rule as RateCard.price, without the per-log service), plus a few corrections
      (a reversing line and a corrected line);
    - `claims` expense claims with their items (mileage at the policy's rate, phone data, carers),
      most decided, a few drafts and some waiting;
    - monthly payment batches of everything approved, as build_batch would have made them: paid,
      except the latest, exported and waiting for payroll.

    Run after people.demo.seed_large (which sets payment preferences and join dates).
    """
    rng = random.Random(seed)  # noqa: S311  (the same invented data every run, not security)
    today, now = timezone.localdate(), timezone.now()
    staff = [users["staff@example.org"], users["staff2@example.org"]]
    levels = _levels()
    cards = _rate_cards(levels)
    _set_levels(rng, projects, levels)
    members_by_id = {m.pk: m for m in members}
    taking_part = _taking_part(members_by_id, projects, today, days)
    choices = _choices(members_by_id)
    with own_timestamps(InvolvementLog, Reward, ExpenseClaim, ExpenseItem, PaymentBatch):
        new_logs, attended = _logs(rng, taking_part, choices, projects, staff, levels, today, now, logs, days)
        InvolvementLog.objects.bulk_create(new_logs, batch_size=BATCH)
        schedule = _batch_schedule(today, now, days)
        rewards, corrections = _rewards(rng, new_logs, cards, levels, schedule, now, correction_rate)
        new_claims, items = _claims(rng, taking_part, attended, staff, schedule, today, now, claims)
        batches = _batches(rng, schedule, [*rewards, *corrections, *items], users["finance@example.org"])
        Reward.objects.bulk_create(rewards, batch_size=BATCH)
        Reward.objects.bulk_create(corrections, batch_size=BATCH)  # reversals point at saved lines now
        ExpenseItem.objects.bulk_create(items, batch_size=BATCH)
    return {
        "logs": len(new_logs),
        "rewards": len(rewards) + len(corrections),
        "claims": len(new_claims),
        "expense_items": len(items),
        "batches": batches,
    }


def _levels() -> dict:
    """The role levels (a data migration adds them; a flushed test database may not have them)."""
    return {
        number: InvolvementLevel.objects.get_or_create(number=number, defaults={"name": name})[0]
        for number, name in LEVEL_NAMES.items()
    }


def _rate_cards(levels) -> list:
    """Every rate card version, oldest first, lines prefetched. With none (a flushed test database),
    the starting card the data migration adds: level 3 by the hour, level 4 by the session."""
    if not RateCard.objects.exists():
        card = RateCard.objects.create(
            name="Starting rate card (invented defaults – check before use)", effective_from=STARTING_CARD_FROM
        )
        RateCardLine.objects.bulk_create(
            [
                RateCardLine(rate_card=card, level=levels[3], unit="hour", amount=Decimal("15.00")),
                RateCardLine(rate_card=card, level=levels[4], unit="half_day", amount=Decimal("75.00")),
                RateCardLine(rate_card=card, level=levels[4], unit="full_day", amount=Decimal("150.00")),
            ]
        )
    if not ExpensePolicy.objects.exists():
        ExpensePolicy.objects.create(effective_from=STARTING_CARD_FROM)
    return list(RateCard.objects.prefetch_related("lines").order_by("effective_from"))


def _in_chunks(ids, size=5000):
    ids = list(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _set_levels(rng, projects, levels) -> None:
    """Staff set the role level of each involvement point and each participant (it decides pay)."""
    for model, shares in (
        (InvolvementPoint, {2: 30, 3: 40, 4: 30}),
        (Participant, {1: 5, 2: 10, 3: 70, 4: 15}),
    ):
        ids = list(
            model.objects.filter(project__in=projects, involvement_level__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        by_level = {}
        for pk, number in zip(ids, weighted(rng, shares, len(ids)), strict=True):
            by_level.setdefault(number, []).append(pk)
        for number, pks in by_level.items():
            for chunk in _in_chunks(pks):
                model.objects.filter(pk__in=chunk).update(involvement_level=levels[number])


def _taking_part(members_by_id, projects, today, days) -> dict:
    """{member id: [(project id, level id, first day they could log time)]} for active participants."""
    result = {}
    rows = (
        Participant.objects.taking_part()
        .filter(project__in=projects)
        .order_by("pk")
        .values_list("member_id", "project_id", "involvement_level_id", "created_at")
    )
    for member_id, project_id, level_id, created in rows:
        member = members_by_id.get(member_id)
        if member is None:
            continue
        since = joined_on(member, today, window_days=days)
        joined_project = timezone.localtime(created).date()
        if joined_project < today:  # back-dated (people selected from applications); else taking part all along
            since = max(since, joined_project)
        result.setdefault(member_id, []).append((project_id, level_id, since))
    return result


def _choices(members_by_id) -> dict:
    """How each member wants to be thanked: their saved preference, else payment (default_choice)."""
    saved = dict(Profile.objects.filter(user__in=list(members_by_id)).values_list("user_id", "payment_preference"))
    return {pk: saved.get(pk) if saved.get(pk) in RewardChoice.values else RewardChoice.PAYMENT for pk in members_by_id}


def _logs(rng, taking_part, choices, projects, staff, levels, today, now, total, days):
    """Attendance at involvement points first (at most a quarter of the logs), then time members
    logged themselves. At most one log per person, project and day (the portal flags more as likely
    duplicates). Returns (logs, {member id: [(project id, point id, day)]} of attendance)."""
    start = today - timedelta(days=days)
    seen, logs, attended = set(), [], {}
    by_project = {}
    for member_id, rows in taking_part.items():
        for project_id, level_id, since in rows:
            by_project.setdefault(project_id, []).append((member_id, level_id, since))
    points = (
        InvolvementPoint.objects.filter(
            project__in=projects, status=InvolvementPoint.Status.HAPPENED, planned_date__range=(start, today)
        )
        .order_by("planned_date", "pk")
        .values_list("pk", "project_id", "planned_date")
    )
    for point_id, project_id, day in points:
        minutes = rng.choice([120, 180, 180, 240, 300, 360])
        activity = rng.choice([Activity.WORKSHOP, Activity.MEETING])
        for member_id, _level, since in by_project.get(project_id, []):
            if len(logs) >= total // 4:
                break
            if since > day or rng.random() > 0.55 or (member_id, project_id, day) in seen:
                continue
            seen.add((member_id, project_id, day))
            by = staff[len(logs) % 2]
            recorded = min(now - timedelta(minutes=5), aware(day + timedelta(days=rng.randint(0, 2)), 16))
            logs.append(
                InvolvementLog(
                    member_id=member_id,
                    project_id=project_id,
                    involvement_point_id=point_id,
                    date=day,
                    activity=activity,
                    minutes=minutes,
                    choice=choices[member_id],
                    status=InvolvementLog.Status.CONFIRMED,
                    source=InvolvementLog.Source.ATTENDANCE,
                    logged_by=by,
                    decided_by=by,
                    decided_at=recorded,
                    created_at=recorded,
                    updated_at=recorded,
                )
            )
            attended.setdefault(member_id, []).append((project_id, point_id, day))
    # Members' own time: a few people give a lot, most a little.
    people = sorted(taking_part)
    weights = [
        min(25.0, rng.paretovariate(1.6)) * max(1, (today - min(s for _p, _l, s in taking_part[pk])).days)
        for pk in people
    ]
    activities = {activity: weight for activity, (weight, _m, _n) in ACTIVITIES.items()}
    wanted = total - len(logs)
    attempts = 0
    while people and len(logs) < total and attempts < 4:
        attempts += 1
        picks = rng.choices(people, weights=weights, k=wanted)
        kinds = weighted(rng, activities, wanted)
        for member_id, activity in zip(picks, kinds, strict=True):
            if len(logs) >= total:
                break
            project_id, _level, since = rng.choice(taking_part[member_id])
            day = since + timedelta(days=rng.randint(0, (today - since).days))
            if (member_id, project_id, day) in seen:
                continue
            seen.add((member_id, project_id, day))
            logs.append(_member_log(rng, member_id, project_id, day, activity, choices, staff, today, now))
        wanted = total - len(logs)
    return logs, attended


def _member_log(rng, member_id, project_id, day, activity, choices, staff, today, now) -> InvolvementLog:
    _weight, minutes, notes = ACTIVITIES[activity]
    logged = min(
        now - timedelta(minutes=rng.randint(5, 60)),
        aware(day + timedelta(days=rng.choice([0, 0, 1, 2, 3])), rng.randint(17, 21), rng.randrange(60)),
    )
    log = InvolvementLog(
        member_id=member_id,
        project_id=project_id,
        date=day,
        activity=activity,
        minutes=rng.choice(minutes),
        note=rng.choice(notes) if rng.random() < 0.3 else "",
        choice=choices[member_id],
        logged_by_id=member_id,
        created_at=logged,
        updated_at=logged,
    )
    roll, age = rng.random(), (today - day).days
    if age <= 14:
        status = "waiting" if roll < 0.55 else "queried" if roll < 0.6 else "confirmed"
    else:
        status = "confirmed" if roll < 0.965 else "rejected" if roll < 0.995 else "queried"
    if status != "waiting":
        decided = aware(timezone.localtime(logged).date() + timedelta(days=rng.randint(1, 7)), rng.randint(9, 16))
        log.decided_at = log.updated_at = decided if decided <= now else between(rng, logged, now)
        log.decided_by = staff[rng.randrange(2)]
        log.status = status
        if status == "queried":
            log.decision_reason = rng.choice(QUERY_REASONS)
        elif status == "rejected":
            log.decision_reason = rng.choice(REJECT_REASONS)
    return log


# Rewards and payment batches ----------------------------------------------------------------------
class _Schedule:
    """Monthly payment batches: each includes every approved line dated up to its day that was
    approved before it was built (build_batch). Built 3 days after, exported the next day, paid 10
    days later; the latest is exported and not paid yet."""

    def __init__(self, today, now, days):
        latest = today - timedelta(days=12)
        up_tos = []
        while not up_tos or up_tos[-1] >= today - timedelta(days=days):
            up_tos.append(add_months(latest, -len(up_tos)))
        self.up_tos = sorted(up_tos)
        self.built = [aware(day + timedelta(days=3), 10, 30) for day in self.up_tos]
        self.now = now

    def index(self, day, approved_at):
        """The batch a payable line dated `day`, approved at `approved_at`, was paid in (or None)."""
        i = bisect.bisect_left(self.up_tos, day)
        while i < len(self.up_tos) and self.built[i] < approved_at:
            i += 1
        return i if i < len(self.up_tos) else None


def _batch_schedule(today, now, days) -> _Schedule:
    return _Schedule(today, now, days)


def _price(cards, effective, level, minutes, cache) -> tuple:
    """(card, Price) under the card in force on the day: RateCard.price on prefetched lines."""
    key = (effective, level.pk if level else None, minutes)
    if key not in cache:
        card = cards[effective] if effective >= 0 else None
        if card is None:
            cache[key] = (None, Price(None, "", None, ZERO, "No rate card was in force on this date."))
        else:
            cache[key] = (card, card.price(level=level, minutes=minutes))
    return cache[key]


def _reward(log, level, card, price, minutes, *, at, by, entry=Reward.Entry.ORIGINAL, reason="") -> Reward:
    """A reward line as services._new_reward writes it."""
    return Reward(
        log=log,
        member_id=log.member_id,
        date=log.date,
        entry=entry,
        choice=log.choice,
        level=level,
        rate_card=card,
        rate_line=price.line,
        unit=price.unit,
        unit_amount=price.unit_amount,
        minutes=minutes,
        value=price.value,
        amount=ZERO if log.choice == RewardChoice.NO_PAYMENT else price.value,
        explanation=price.explanation,
        reason=reason,
        created_by=by,
        created_at=at,
        updated_at=at,
    )


def _payable(line) -> bool:
    return line.choice != RewardChoice.NO_PAYMENT and line.amount != 0


def _rewards(rng, logs, cards, levels, schedule, now, correction_rate):
    """A reward for every confirmed log, at the level of its involvement point, else the member's
    level in the project (services.level_for), under the card in force on its date. A few
    (`correction_rate`) are corrected later, as services.correct_reward does: the log's time
    changes, and a reversing line and a corrected line are added. Returns (original lines,
    correction lines), unsaved; the corrected logs are saved."""
    effective = [card.effective_from for card in cards]
    by_id = {level.pk: level for level in levels.values()}
    point_levels = dict(
        InvolvementPoint.objects.filter(
            pk__in={log.involvement_point_id for log in logs if log.involvement_point_id}
        ).values_list("pk", "involvement_level_id")
    )
    participant_levels = {
        (project_id, member_id): level_id
        for project_id, member_id, level_id in Participant.objects.filter(
            project__in={log.project_id for log in logs}
        ).values_list("project_id", "member_id", "involvement_level_id")
    }
    cache, rewards, corrections, corrected_logs = {}, [], [], []
    for log in logs:
        if log.status != InvolvementLog.Status.CONFIRMED:
            continue
        level_id = point_levels.get(log.involvement_point_id) or participant_levels.get((log.project_id, log.member_id))
        level = by_id.get(level_id)
        in_force = bisect.bisect_right(effective, log.date) - 1
        card, price = _price(cards, in_force, level, log.minutes, cache)
        rewards.append(_reward(log, level, card, price, log.minutes, at=log.decided_at, by=log.decided_by))
        corrected_at = log.decided_at + timedelta(days=rng.randint(3, 30))
        if (
            log.source == InvolvementLog.Source.MEMBER
            and price.unit == "hour"
            and log.minutes > 60
            and corrected_at < now - timedelta(days=1)
            and rng.random() < correction_rate
        ):
            original = rewards[-1]
            log.minutes, log.updated_at = log.minutes - 30, corrected_at
            corrected_logs.append(log)
            reason = rng.choice(CORRECTION_REASONS)
            reversal = _reward(
                log, level, card, price, -original.minutes, at=corrected_at, by=log.decided_by, reason=reason
            )
            reversal.entry, reversal.reverses = Reward.Entry.REVERSAL, original
            reversal.value, reversal.amount = -original.value, -original.amount
            reversal.explanation = f"Reverses the line of {timezone.localtime(original.created_at):%-d %b %Y}."
            card, price = _price(cards, in_force, level, log.minutes, cache)
            corrections += [
                reversal,
                _reward(
                    log, level, card, price, log.minutes, at=corrected_at, by=log.decided_by,
                    entry=Reward.Entry.REPLACEMENT, reason=reason,
                ),
            ]  # fmt: skip
    InvolvementLog.objects.bulk_update(corrected_logs, ["minutes", "updated_at"], batch_size=1000)
    for line in [*rewards, *corrections]:
        line._batch = schedule.index(line.date, line.created_at) if _payable(line) else None
    return rewards, corrections


# Expense claims -------------------------------------------------------------------------------------
def _claims(rng, taking_part, attended, staff, schedule, today, now, total):
    """`total` claims with one to three items each. Returns (claims, items); claims are saved."""
    policies = list(ExpensePolicy.objects.order_by("effective_from"))
    policy_days = [policy.effective_from for policy in policies]
    people = sorted(taking_part)
    claims, pending_items = [], []
    for member_id in rng.choices(people, k=total) if people else []:
        project_id, _level, since = rng.choice(taking_part[member_id])
        point_id = None
        if attended.get(member_id) and rng.random() < 0.4:
            project_id, point_id, day = rng.choice(attended[member_id])
        else:
            day = since + timedelta(days=rng.randint(0, (today - since).days))
        made = min(
            now - timedelta(minutes=rng.randint(10, 120)),
            aware(day + timedelta(days=rng.choice([0, 0, 1, 2, 5])), rng.randint(18, 21), rng.randrange(60)),
        )
        claim = ExpenseClaim(
            member_id=member_id,
            project_id=project_id,
            involvement_point_id=point_id,
            note=rng.choice(["Travel to the meeting.", "Costs of taking part.", ""]),
            created_at=made,
            updated_at=made,
        )
        if (today - day).days <= 20 and rng.random() < 0.15:
            claim.status = ExpenseClaim.Status.DRAFT
        else:
            claim.submitted_at = claim.updated_at = min(now, made + timedelta(hours=rng.choice([0, 1, 20, 44])))
            decided = aware(
                timezone.localtime(claim.submitted_at).date() + timedelta(days=rng.randint(2, 14)), rng.randint(9, 16)
            )
            if decided <= now - timedelta(hours=1):
                claim.status, claim.decided_at, claim.updated_at = ExpenseClaim.Status.DECIDED, decided, decided
            else:
                claim.status = ExpenseClaim.Status.SUBMITTED
        claims.append(claim)
        for _n in range(weighted(rng, {1: 60, 2: 30, 3: 10}, 1)[0]):
            item_day = day if rng.random() < 0.8 else max(since, day - timedelta(days=rng.randint(1, 7)))
            policy = policies[bisect.bisect_right(policy_days, item_day) - 1] if policies else None
            pending_items.append((claim, _item(rng, item_day, policy, staff)))
    ExpenseClaim.objects.bulk_create(claims, batch_size=BATCH)
    items = []
    for claim, item in pending_items:
        item.claim = claim
        item.created_at = item.updated_at = claim.created_at
        if claim.status == ExpenseClaim.Status.DECIDED:
            approved = rng.random() < 0.95
            item.status = ExpenseItem.Status.APPROVED if approved else ExpenseItem.Status.REJECTED
            item.decided_by = staff[0] if claim.member_id != staff[0].pk else staff[1]
            item.decided_at = item.updated_at = claim.decided_at
            if not approved:
                item.decision_reason = rng.choice(ITEM_REJECT_REASONS)
        item._batch = schedule.index(item.date, item.decided_at) if item.status == "approved" else None
        items.append(item)
    return claims, items


def _item(rng, day, policy, staff) -> ExpenseItem:
    category = weighted(rng, {ExpenseCategory.MILEAGE: 60, ExpenseCategory.HOME: 25, ExpenseCategory.CARER: 15}, 1)[0]
    if category == ExpenseCategory.MILEAGE and policy is not None and policy.mileage_rate > 0:
        miles = Decimal(rng.randint(20, 600)) / 10
        return ExpenseItem(
            category=category,
            date=day,
            description="Drove to the meeting and back.",
            miles=miles,
            mileage_rate=policy.mileage_rate,
            amount=to_money(miles * policy.mileage_rate),
        )
    if category == ExpenseCategory.CARER:
        return ExpenseItem(
            category=category,
            date=day,
            description="Care for my dad while I was at the meeting.",
            amount=to_money(rng.randint(20, 90)),
            agreed_with=f"{staff[rng.randrange(2)].name}, before the day",
        )
    return ExpenseItem(
        category=ExpenseCategory.HOME,
        date=day,
        description="Phone data to join the meeting online.",
        amount=Decimal(rng.choice(["2.50", "3.00", "5.00", "7.50", "10.00"])),
    )


def _batches(rng, schedule, lines, finance) -> list:
    """Make the batches that have lines, oldest first (the latest is made last), and put each line
    in its batch. Returns the batches."""
    used = sorted({line._batch for line in lines if line._batch is not None})
    batches = {}
    for index in used:
        built = schedule.built[index]
        exported = built + timedelta(days=1, hours=-1, minutes=-15)
        paid = exported + timedelta(days=10, hours=4)
        batch = PaymentBatch(
            reference=f"PB-{timezone.localtime(built):%Y%m%d}-{rng.getrandbits(24):06X}",
            up_to=schedule.up_tos[index],
            status=PaymentBatch.Status.EXPORTED,
            built_by=finance,
            built_at=built,
            exported_by=finance,
            exported_at=exported,
            created_at=built,
            updated_at=exported,
        )
        if paid <= schedule.now:
            batch.status, batch.paid_by, batch.paid_at, batch.updated_at = PaymentBatch.Status.PAID, finance, paid, paid
        batches[index] = batch
    PaymentBatch.objects.bulk_create([batches[index] for index in used])
    for line in lines:
        if line._batch is not None:
            line.batch = batches[line._batch]
            line.updated_at = max(line.updated_at, line.batch.built_at)
    return [batches[index] for index in used]
