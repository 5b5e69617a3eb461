"""What the recognition pages show, worked out in a fixed number of queries however many rows there
are. Templates read these; they never query."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from programmes.models import InvolvementPoint, Programme, Project
from recognition import differences, milestones
from recognition.models import (
    Activity,
    ExpenseClaim,
    ExpenseItem,
    ExpensePolicy,
    InvolvementLog,
    PaymentBatch,
    Reward,
    RewardChoice,
)
from recognition.money import ZERO, hours, tax_year_label, tax_year_start

MONEY = DecimalField(max_digits=12, decimal_places=2)


# A member's recognition ---------------------------------------------------------------------------
@dataclass
class TaxYear:
    start: int
    rewards: list = field(default_factory=list)
    items: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return tax_year_label(self.start)

    def _sum(self, lines, test=lambda line: True):
        return sum((line.amount for line in lines if test(line)), ZERO)

    @property
    def payments(self) -> Decimal:
        return self._sum(self.rewards, lambda r: r.choice == RewardChoice.PAYMENT)

    @property
    def vouchers(self) -> Decimal:
        return self._sum(self.rewards, lambda r: r.choice == RewardChoice.VOUCHER)

    @property
    def expenses(self) -> Decimal:
        return self._sum(self.items, lambda i: i.status == ExpenseItem.Status.APPROVED)

    @property
    def paid(self) -> Decimal:
        def is_paid(line):
            return line.batch_id is not None and line.batch.status == PaymentBatch.Status.PAID

        return self._sum(self.rewards, is_paid) + self._sum(
            self.items, lambda i: i.status == ExpenseItem.Status.APPROVED and is_paid(i)
        )


def member_recognition(member) -> dict:
    logs = list(
        InvolvementLog.objects.filter(member=member)
        .select_related("project", "involvement_point")
        .order_by("date", "created_at")
    )
    confirmed = [log for log in logs if log.status == InvolvementLog.Status.CONFIRMED]
    waiting = [log for log in logs if log.is_open]
    by_activity = defaultdict(lambda: {"minutes": 0, "count": 0})
    for log in confirmed:
        by_activity[log.activity]["minutes"] += log.minutes
        by_activity[log.activity]["count"] += 1
    activities = [
        {"label": Activity(key).label, "hours": hours(row["minutes"]), "count": row["count"]}
        for key, row in sorted(by_activity.items(), key=lambda pair: -pair[1]["minutes"])
    ]
    rewards = list(
        Reward.objects.filter(member=member).select_related("log__project", "batch").order_by("date", "created_at")
    )
    reversed_ids = {reward.reverses_id for reward in rewards if reward.reverses_id}
    for reward in rewards:
        reward.was_reversed = reward.pk in reversed_ids
    items = list(
        ExpenseItem.objects.filter(claim__member=member)
        .exclude(claim__status=ExpenseClaim.Status.DRAFT)
        .select_related("claim__project", "batch")
        .order_by("date", "created_at")
    )
    years = {}
    for line in rewards:
        years.setdefault(tax_year_start(line.date), TaxYear(tax_year_start(line.date))).rewards.append(line)
    for line in items:
        years.setdefault(tax_year_start(line.date), TaxYear(tax_year_start(line.date))).items.append(line)
    reached, upcoming = milestones.for_member(member, confirmed)
    return {
        "total_hours": hours(sum(log.minutes for log in confirmed)),
        "confirmed_count": len(confirmed),
        "waiting_minutes": sum(log.minutes for log in waiting),
        "waiting_count": len(waiting),
        "activities": activities,
        "projects": sorted({log.project.name for log in confirmed}),
        "tax_years": [years[start] for start in sorted(years, reverse=True)],
        "milestones": reached,
        "next_milestone": upcoming,
        "certificates": list(member.certificates.all()),
        "differences": differences.for_member(member),
    }


# Staff: what is waiting for me --------------------------------------------------------------------
QUEUE_LENGTH = 50


def approvals_for(user) -> dict:
    today = timezone.localdate()
    target = ExpensePolicy.in_force_on(today).payment_target_days
    my_programmes = Programme.objects.filter(team_memberships__user=user)
    # The oldest first, QUEUE_LENGTH at a time: a busy team can have thousands waiting.
    waiting_logs = InvolvementLog.objects.waiting_for(user)
    logs = list(
        waiting_logs.select_related("member", "project__programme", "involvement_point").order_by("date", "created_at")[
            : QUEUE_LENGTH + 1
        ]
    )
    # One more than a queue's length says whether there are more, so only a longer queue is counted.
    more_logs, logs = len(logs) > QUEUE_LENGTH, logs[:QUEUE_LENGTH]
    waiting_claims = ExpenseClaim.objects.filter(
        status=ExpenseClaim.Status.SUBMITTED, project__programme__in=my_programmes
    ).exclude(member=user)
    claims = list(waiting_claims.select_related("member", "project").order_by("submitted_at")[: QUEUE_LENGTH + 1])
    more_claims, claims = len(claims) > QUEUE_LENGTH, claims[:QUEUE_LENGTH]
    # Sum the items of the claims shown only, not of every waiting claim.
    item_figures = {
        row["claim"]: row
        for row in ExpenseItem.objects.filter(claim__in=claims)
        .values("claim")
        .annotate(
            pending_count=Count("pk", filter=Q(status=ExpenseItem.Status.PENDING)),
            total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        )
        .order_by()
    }
    for claim in claims:
        figures = item_figures.get(claim.pk, {})
        claim.pending_count, claim.total = figures.get("pending_count", 0), figures.get("total", ZERO)
        claim.days_waiting = (today - timezone.localtime(claim.submitted_at).date()).days
        claim.overdue = claim.days_waiting > target
    queried_count = InvolvementLog.objects.filter(
        status=InvolvementLog.Status.QUERIED, project__programme__in=my_programmes
    ).count()
    attendance_due = list(
        InvolvementPoint.objects.filter(
            project__programme__in=my_programmes,
            status=InvolvementPoint.Status.PLANNED,
            planned_date__lte=today,
        )
        .select_related("project")
        .order_by("planned_date")[:10]
    )
    return {
        "logs": logs,
        "logs_count": waiting_logs.count() if more_logs else len(logs),
        "claims": claims,
        "claims_count": waiting_claims.count() if more_claims else len(claims),
        "queue_length": QUEUE_LENGTH,
        "queried_count": queried_count,
        "attendance_due": attendance_due,
        "target_days": target,
    }


# Staff, leaders: totals per programme and project -------------------------------------------------
def totals_for(programmes) -> list[dict]:
    """People, hours and spend for each programme and its projects. Spend is what confirmed rewards
    owe (net of corrections) plus approved expenses."""
    programmes = list(programmes.order_by("name"))
    projects = list(Project.objects.filter(programme__in=programmes).order_by("name"))
    confirmed = InvolvementLog.objects.confirmed().filter(project__programme__in=programmes)
    by_project = {
        row["project"]: row
        for row in confirmed.values("project").annotate(minutes=Sum("minutes"), people=Count("member", distinct=True))
    }
    by_programme = {
        row["project__programme"]: row
        for row in confirmed.values("project__programme").annotate(
            minutes=Sum("minutes"), people=Count("member", distinct=True)
        )
    }
    rewards = {
        row["log__project"]: row["amount"]
        for row in Reward.objects.filter(log__project__programme__in=programmes)
        .values("log__project")
        .annotate(amount=Sum("amount"))
    }
    expenses = {
        row["claim__project"]: row["amount"]
        for row in ExpenseItem.objects.filter(
            status=ExpenseItem.Status.APPROVED, claim__project__programme__in=programmes
        )
        .values("claim__project")
        .annotate(amount=Sum("amount"))
    }
    result = []
    for programme in programmes:
        rows = []
        for project in (p for p in projects if p.programme_id == programme.pk):
            logged = by_project.get(project.pk, {})
            rows.append(
                {
                    "project": project,
                    "people": logged.get("people", 0),
                    "hours": hours(logged.get("minutes") or 0),
                    "rewards": rewards.get(project.pk) or ZERO,
                    "expenses": expenses.get(project.pk) or ZERO,
                }
            )
        overall = by_programme.get(programme.pk, {})
        result.append(
            {
                "programme": programme,
                "projects": rows,
                "people": overall.get("people", 0),
                "hours": hours(overall.get("minutes") or 0),
                "rewards": sum((row["rewards"] for row in rows), ZERO),
                "expenses": sum((row["expenses"] for row in rows), ZERO),
            }
        )
    return result


# Finance --------------------------------------------------------------------------------------------
def waiting_for_payment() -> dict:
    rewards = Reward.objects.payable().filter(batch__isnull=True).aggregate(count=Count("pk"), total=Sum("amount"))
    items = ExpenseItem.objects.filter(status=ExpenseItem.Status.APPROVED, batch__isnull=True).aggregate(
        count=Count("pk"), total=Sum("amount")
    )
    return {
        "reward_count": rewards["count"],
        "reward_total": rewards["total"] or ZERO,
        "item_count": items["count"],
        "item_total": items["total"] or ZERO,
    }


def payment_clock() -> dict:
    """Claims not yet fully paid, oldest first, with days since they were sent and the target."""
    today = timezone.localdate()
    target = ExpensePolicy.in_force_on(today).payment_target_days
    unpaid_approved = Exists(
        ExpenseItem.objects.filter(claim=OuterRef("pk"), status=ExpenseItem.Status.APPROVED).filter(
            Q(batch__isnull=True) | Q(batch__status__in=[PaymentBatch.Status.BUILT, PaymentBatch.Status.EXPORTED])
        )
    )
    claims = list(
        ExpenseClaim.objects.filter(Q(status=ExpenseClaim.Status.SUBMITTED) | Q(unpaid_approved))
        .select_related("member", "project")
        .order_by("submitted_at")
    )
    for claim in claims:
        claim.days_waiting = (today - timezone.localtime(claim.submitted_at).date()).days
        claim.overdue = claim.days_waiting > target
    return {"claims": claims, "target_days": target, "overdue_count": sum(1 for c in claims if c.overdue)}


def _batch_total(model):
    return Coalesce(
        Subquery(
            model.objects.filter(batch=OuterRef("pk"))
            .values("batch")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


def batches():
    return (
        PaymentBatch.objects.select_related("built_by")
        .annotate(reward_total=_batch_total(Reward), item_total=_batch_total(ExpenseItem))
        .annotate(total=ExpressionWrapper(F("reward_total") + F("item_total"), output_field=MONEY))
    )


@dataclass
class Payee:
    person: object
    rewards: list = field(default_factory=list)
    items: list = field(default_factory=list)

    @property
    def payments(self):
        return sum((r.amount for r in self.rewards if r.choice == RewardChoice.PAYMENT), ZERO)

    @property
    def vouchers(self):
        return sum((r.amount for r in self.rewards if r.choice == RewardChoice.VOUCHER), ZERO)

    @property
    def expenses(self):
        return sum((i.amount for i in self.items), ZERO)

    @property
    def total(self):
        return self.payments + self.vouchers + self.expenses

    @property
    def dates(self):
        return sorted(line.date for line in [*self.rewards, *self.items])


def payees_in(batch, members=None) -> list[Payee]:
    """The batch's lines grouped by person (two queries); only `members`' lines when given."""
    rewards = Reward.objects.filter(batch=batch)
    items = ExpenseItem.objects.filter(batch=batch)
    if members is not None:
        rewards, items = rewards.filter(member__in=members), items.filter(claim__member__in=members)
    payees = {}
    for reward in rewards.select_related("member", "log__project").order_by("date"):
        payees.setdefault(reward.member_id, Payee(reward.member)).rewards.append(reward)
    for item in items.select_related("claim__member", "claim__project").order_by("date"):
        payees.setdefault(item.claim.member_id, Payee(item.claim.member)).items.append(item)
    return sorted(payees.values(), key=lambda payee: (payee.person.name.lower(), payee.person.pk))


def people_in_batch(batch):
    """Everyone with a line in the batch, in name order, as a queryset (for paging)."""
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=Reward.objects.filter(batch=batch).values("member_id"))
            | Q(pk__in=ExpenseItem.objects.filter(batch=batch).values("claim__member_id"))
        )
        .order_by(Lower("name"), "pk")
    )


def batch_totals(batch) -> dict:
    """Payments, vouchers, expenses and total for the batch, summed in SQL."""
    rewards = Reward.objects.filter(batch=batch).aggregate(
        payments=Coalesce(Sum("amount", filter=Q(choice=RewardChoice.PAYMENT)), Value(ZERO)),
        vouchers=Coalesce(Sum("amount", filter=Q(choice=RewardChoice.VOUCHER)), Value(ZERO)),
    )
    expenses = ExpenseItem.objects.filter(batch=batch).aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    return {**rewards, "expenses": expenses, "total": rewards["payments"] + rewards["vouchers"] + expenses}


@dataclass
class PayeeTotal:
    """One person's totals in a batch: one row of the payroll file."""

    person: object
    payments: Decimal = ZERO
    vouchers: Decimal = ZERO
    expenses: Decimal = ZERO
    reward_lines: int = 0
    expense_lines: int = 0
    dates: list = field(default_factory=list)

    @property
    def total(self):
        return self.payments + self.vouchers + self.expenses


def payee_totals(batch) -> list[PayeeTotal]:
    """Per-person totals summed in SQL: memory grows with people, not with lines (three queries)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min

    rows = {}
    for row in (
        Reward.objects.filter(batch=batch)
        .values("member_id")
        .annotate(
            payments=Coalesce(Sum("amount", filter=Q(choice=RewardChoice.PAYMENT)), Value(ZERO)),
            vouchers=Coalesce(Sum("amount", filter=Q(choice=RewardChoice.VOUCHER)), Value(ZERO)),
            lines=Count("pk"),
            first=Min("date"),
            last=Max("date"),
        )
        .order_by()
    ):
        rows[row["member_id"]] = PayeeTotal(
            person=None,
            payments=row["payments"],
            vouchers=row["vouchers"],
            reward_lines=row["lines"],
            dates=[row["first"], row["last"]],
        )
    for row in (
        ExpenseItem.objects.filter(batch=batch)
        .values("claim__member_id")
        .annotate(expenses=Sum("amount"), lines=Count("pk"), first=Min("date"), last=Max("date"))
        .order_by()
    ):
        payee = rows.setdefault(row["claim__member_id"], PayeeTotal(person=None))
        payee.expenses, payee.expense_lines = row["expenses"], row["lines"]
        payee.dates = sorted([*payee.dates, row["first"], row["last"]])
    people = get_user_model().objects.filter(pk__in=rows).only("public_id", "name", "email")
    for person in people:
        rows[person.pk].person = person
    return sorted(rows.values(), key=lambda payee: (payee.person.name.lower(), payee.person.pk))
