"""Use cases for opportunities, applications, fair selection, reach and population figures.

Each function is one step, with keyword-only arguments and an explicit acting user. It checks the
rules, writes the change and an audit entry in one transaction, and queues emails for after the
commit. Bad input raises ValidationError keyed by form field (so views show it next to the field);
a step that cannot be taken now raises OpportunityError with a plain-English message. States move
with a conditional UPDATE that must touch exactly one row, so a double click or two people at once
cannot both succeed.

The permission rules for this topic are registered here too (imported wherever the services are).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction import audit, disclosure
from coproduction.emails import queue_templated_email
from coproduction.roles import Role
from coproduction.rules import is_administrator, is_leader, is_member, is_staff_role
from people.models import (
    Application,
    ApplicationAnswer,
    ApplicationDecision,
    EqualityMonitoring,
    EqualitySnapshot,
    Opportunity,
    OpportunityQuestion,
    PopulationFigure,
)
from people.models.opportunities import CHARACTERISTICS, DECISIONS_FROM, SELECTION_OUTCOMES, SHORTLISTING_OUTCOMES
from programmes.models import Participant
from programmes.rules import is_on_programme_team, is_on_project_team

Status = Opportunity.Status
AppStatus = Application.Status


class OpportunityError(Exception):
    """This step cannot be taken now (for example, it was already done). Nothing was changed."""


# Permissions ------------------------------------------------------------------------------------
# Objects: an Opportunity (or a Project for creating one; a Programme for the programme report).


@rules.predicate
def is_on_opportunity_team(user, opportunity):
    return opportunity is not None and is_on_project_team(user, opportunity.project)


rules.add_perm("people.add_opportunity", is_administrator | (is_staff_role & is_on_project_team))
rules.add_perm("people.manage_opportunities", is_staff_role | is_administrator)
rules.add_perm("people.change_opportunity", is_administrator | (is_staff_role & is_on_opportunity_team))
rules.add_perm("people.view_applications", is_administrator | (is_staff_role & is_on_opportunity_team))
rules.add_perm("people.decide_application", is_administrator | (is_staff_role & is_on_opportunity_team))
rules.add_perm("people.view_opportunity_reach", is_administrator | is_leader | (is_staff_role & is_on_opportunity_team))
rules.add_perm("people.view_programme_reach", is_administrator | is_leader | (is_staff_role & is_on_programme_team))
rules.add_perm("people.apply", is_member)
rules.add_perm("people.see_my_applications", is_member)
rules.add_perm("people.load_population_figures", is_administrator)


# Helpers ----------------------------------------------------------------------------------------


def _link(url_name: str, *args) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def _move(model, obj, *, where: dict, message: str, **changes) -> None:
    changes = {"updated_at": timezone.now(), **changes}
    if model.objects.filter(pk=obj.pk, **where).update(**changes) != 1:
        raise OpportunityError(message)
    for name, value in changes.items():
        setattr(obj, name, value)


def check_closing_date(closing_date, *, today=None) -> None:
    today = today or timezone.localdate()
    if closing_date is None:
        raise ValidationError({"closing_date": _("Enter a closing date")})
    if closing_date < today:
        raise ValidationError({"closing_date": _("Closing date must be today or in the future")})


def clean_questions(questions) -> list[str]:
    cleaned = [q.strip() for q in (questions or []) if q and q.strip()]
    if not cleaned:
        raise ValidationError({"questions": _("Write at least one question for applicants to answer")})
    return cleaned


# Opportunities ----------------------------------------------------------------------------------


@transaction.atomic
def save_opportunity(*, opportunity: Opportunity, by, questions=None, topics=None, request=None) -> Opportunity:
    """Create or change an opportunity. Questions can change only while it is a draft."""
    creating = opportunity.pk is None
    if opportunity.status in {Status.CLOSED, Status.FILLED}:
        raise OpportunityError(_("A closed opportunity cannot be changed."))
    if creating or opportunity.status in {Status.DRAFT, Status.OPEN}:
        check_closing_date(opportunity.closing_date)
    if not opportunity.has_place:
        opportunity.place = ""
    elif not opportunity.place.strip():
        raise ValidationError({"place": _("Say where it happens")})
    if not opportunity.is_paid:
        opportunity.payment_details = ""
    if creating:
        opportunity.created_by = by
        opportunity.status = Status.DRAFT
    questions_to_save = None
    if questions is not None and opportunity.status == Status.DRAFT:
        questions_to_save = clean_questions(questions)
    opportunity.full_clean(exclude=["topics"])
    opportunity.save()
    if topics is not None:
        opportunity.topics.set(topics)
    if questions_to_save is not None:
        existing = list(opportunity.questions.all())
        if [q.text for q in existing] != questions_to_save:
            opportunity.questions.all().delete()
            OpportunityQuestion.objects.bulk_create(
                OpportunityQuestion(opportunity=opportunity, text=text, order=index)
                for index, text in enumerate(questions_to_save)
            )
    audit.record(
        "opportunity.created" if creating else "opportunity.changed", actor=by, subject=opportunity, request=request
    )
    return opportunity


@transaction.atomic
def publish(*, opportunity: Opportunity, by, request=None) -> None:
    if opportunity.status != Status.DRAFT:
        raise OpportunityError(_("This opportunity has already been published."))
    try:
        check_closing_date(opportunity.closing_date)
    except ValidationError as error:
        raise OpportunityError(_("Change the closing date to today or later before you publish.")) from error
    if not opportunity.questions.exists():
        raise OpportunityError(_("Add at least one question before you publish."))
    _move(
        Opportunity,
        opportunity,
        where={"status": Status.DRAFT},
        message=_("This opportunity has already been published."),
        status=Status.OPEN,
        published_at=timezone.now(),
    )
    audit.record("opportunity.published", actor=by, subject=opportunity, request=request)


@transaction.atomic
def close(*, opportunity: Opportunity, by=None, request=None) -> None:
    """Stop taking applications: staff close early, or the closing date passed (by=None)."""
    _move(
        Opportunity,
        opportunity,
        where={"status": Status.OPEN},
        message=_("Only an open opportunity can be closed."),
        status=Status.CLOSED,
        closed_at=timezone.now(),
    )
    audit.record(
        "opportunity.closed" if by else "opportunity.closed_at_closing_date",
        actor=by,
        subject=opportunity,
        request=request,
    )


@transaction.atomic
def mark_filled(*, opportunity: Opportunity, by, request=None) -> None:
    now = timezone.now()
    _move(
        Opportunity,
        opportunity,
        where={"status__in": [Status.OPEN, Status.CLOSED]},
        message=_("Only an open or closed opportunity can be marked as filled."),
        status=Status.FILLED,
        filled_at=now,
        closed_at=opportunity.closed_at or now,
    )
    audit.record("opportunity.filled", actor=by, subject=opportunity, request=request)


def close_expired_opportunities(*, today=None) -> int:
    """Close every open opportunity whose closing date has passed. Safe to run twice."""
    closed = 0
    for opportunity in Opportunity.objects.past_closing_date(today):
        try:
            close(opportunity=opportunity, by=None)
        except OpportunityError:
            continue  # closed by someone else meanwhile
        closed += 1
    return closed


@transaction.atomic
def finish_shortlisting(*, opportunity: Opportunity, by, request=None) -> None:
    """Staff say shortlisting is done: names and contact details are shown from now on."""
    if opportunity.shortlisting_done_at is not None:
        raise OpportunityError(_("Shortlisting is already done."))
    if opportunity.status in {Status.DRAFT, Status.OPEN}:
        raise OpportunityError(_("Close the opportunity before you finish shortlisting, so nobody applies after it."))
    waiting = opportunity.applications.filter(status=AppStatus.SUBMITTED).count()
    if waiting:
        raise OpportunityError(
            _("Decide on every application before you finish shortlisting. %(count)d still waiting.")
            % {"count": waiting}
        )
    _move(
        Opportunity,
        opportunity,
        where={"shortlisting_done_at__isnull": True},
        message=_("Shortlisting is already done."),
        shortlisting_done_at=timezone.now(),
        shortlisting_done_by=by,
    )
    audit.record("opportunity.shortlisting_done", actor=by, subject=opportunity, request=request)


# Applying ---------------------------------------------------------------------------------------


def take_equality_snapshot(*, application: Application) -> EqualitySnapshot:
    """Copy the applicant's equality answers as they are now. Nobody sees the copy one by one."""
    answers = EqualityMonitoring.objects.filter(user_id=application.applicant_id).first()
    values = {name: (getattr(answers, name, "") or "") if answers else "" for name in CHARACTERISTICS}
    if answers is not None:
        # Copied on the applicant's own action, to be counted (never shown) in reach reports.
        audit.record(
            "equality.read", actor=application.applicant, subject=answers, detail="purpose=application snapshot"
        )
    return EqualitySnapshot.objects.create(
        opportunity_id=application.opportunity_id, application=application, taken_at=timezone.now(), **values
    )


@transaction.atomic
def apply(*, opportunity: Opportunity, applicant, answers: dict, access_needs: str = "", request=None) -> Application:
    """A member applies. `answers` maps each OpportunityQuestion's pk to the answer text.

    Someone who withdrew may apply again while it is open: their application is reopened.
    """
    if not applicant.has_role(Role.MEMBER):
        raise OpportunityError(_("Only registered members can apply."))
    # Lock the opportunity row, so applicant numbers are handed out one at a time.
    locked = Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
    if locked is None or not locked.is_accepting_applications:
        raise OpportunityError(_("This opportunity is closed. You can no longer apply."))
    questions = list(locked.questions.all())
    errors = {}
    for question in questions:
        if not (answers.get(question.pk) or "").strip():
            errors[f"answer_{question.pk}"] = _("Answer this question")
    if errors:
        raise ValidationError(errors)
    access_needs = (access_needs or "").strip()
    now = timezone.now()
    existing = Application.objects.filter(opportunity=locked, applicant=applicant).first()
    if existing is not None and existing.status != AppStatus.WITHDRAWN:
        raise OpportunityError(_("You have already applied for this opportunity."))
    if existing is not None:
        application = existing
        _move(
            Application,
            application,
            where={"status": AppStatus.WITHDRAWN},
            message=_("You have already applied for this opportunity."),
            status=AppStatus.SUBMITTED,
            access_needs=access_needs,
            submitted_at=now,
            withdrawn_at=None,
        )
        application.answers.all().delete()
        action = "application.resubmitted"
    else:
        number = (locked.applications.aggregate(top=Max("number"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    opportunity=locked, applicant=applicant, number=number, access_needs=access_needs, submitted_at=now
                )
        except IntegrityError as error:
            raise OpportunityError(_("You have already applied for this opportunity.")) from error
        action = "application.submitted"
    ApplicationAnswer.objects.bulk_create(
        ApplicationAnswer(
            application=application,
            question=question,
            question_text=question.text,
            answer=answers[question.pk].strip(),
            order=index,
        )
        for index, question in enumerate(questions)
    )
    if not EqualitySnapshot.objects.filter(application=application).exists():
        take_equality_snapshot(application=application)
    audit.record(action, actor=applicant, subject=application, request=request)
    queue_templated_email(
        "people/email/application_received",
        to=applicant.email,
        context={
            "applicant": applicant,
            "opportunity": locked,
            "url": _link("people:application_detail", application.public_id),
        },
    )
    application.opportunity = locked
    return application


@transaction.atomic
def withdraw(*, application: Application, by, request=None) -> None:
    if application.applicant_id != by.pk:
        raise OpportunityError(_("Only the person who applied can withdraw an application."))
    _move(
        Application,
        application,
        where={"status__in": [AppStatus.SUBMITTED, AppStatus.SHORTLISTED, AppStatus.WAITING_LIST]},
        message=_("This application can no longer be withdrawn."),
        status=AppStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
    )
    audit.record("application.withdrawn", actor=by, subject=application, request=request)


# Deciding ---------------------------------------------------------------------------------------


@transaction.atomic
def decide(*, application: Application, outcome: str, reason: str, by, request=None) -> ApplicationDecision:
    """Record a shortlisting or selection decision with its reason against the published criteria.

    Selected applicants take part in the project from then on.
    """
    opportunity = application.opportunity
    reason = (reason or "").strip()
    errors = {}
    if outcome not in DECISIONS_FROM:
        errors["outcome"] = _("Choose a decision")
    if not reason:
        errors["reason"] = _("Give the reason for this decision, against the published criteria")
    if errors:
        raise ValidationError(errors)
    if opportunity.status == Status.DRAFT:
        raise OpportunityError(_("This opportunity has not been published."))
    if opportunity.is_blind and outcome in SELECTION_OUTCOMES:
        raise ValidationError(
            {"outcome": _("Finish shortlisting before you select people: names are hidden until then.")}
        )
    if outcome in SHORTLISTING_OUTCOMES and opportunity.shortlisting_done_at is not None:
        raise ValidationError({"outcome": _("Shortlisting is done. Choose selected, not selected or waiting list.")})
    allowed = DECISIONS_FROM[outcome]
    if application.status not in allowed:
        raise ValidationError(
            {
                "outcome": _("This applicant is “%(status)s”, so they cannot be moved to “%(outcome)s”.")
                % {"status": application.get_status_display(), "outcome": AppStatus(outcome).label}
            }
        )
    now = timezone.now()
    _move(
        Application,
        application,
        where={"status__in": list(allowed)},
        message=_("Someone else changed this application just now. Nothing has changed: look again."),
        status=outcome,
        decided_at=now,
        decision_reason=reason,
    )
    decision = ApplicationDecision.objects.create(
        application=application, outcome=outcome, reason=reason, by=by, at=now
    )
    flags = {}
    if outcome in {AppStatus.SHORTLISTED, AppStatus.SELECTED}:
        flags["shortlisted"] = True
    if outcome == AppStatus.SELECTED:
        flags["selected"] = True
    if flags:
        EqualitySnapshot.objects.filter(application=application).update(**flags)
    if outcome == AppStatus.SELECTED:
        add_participant(project=opportunity.project, member=application.applicant, by=by, request=request)
    audit.record(f"application.{outcome}", actor=by, subject=application, request=request)
    queue_templated_email(
        "people/email/application_decided",
        to=application.applicant.email,
        context={
            "applicant": application.applicant,
            "opportunity": opportunity,
            "application": application,
            "outcome": AppStatus(outcome).label,
            "reason": reason,
            "url": _link("people:application_detail", application.public_id),
        },
    )
    return decision


def add_participant(*, project, member, by, request=None) -> Participant:
    """A selected applicant takes part in the project (they already said yes by applying)."""
    now = timezone.now()
    participant, created = Participant.objects.get_or_create(
        project=project,
        member=member,
        defaults={"status": Participant.Status.ACTIVE, "invited_by": by, "responded_at": now},
    )
    if not created and participant.status != Participant.Status.ACTIVE:
        Participant.objects.filter(pk=participant.pk).update(
            status=Participant.Status.ACTIVE, responded_at=now, updated_at=now
        )
        participant.status = Participant.Status.ACTIVE
    audit.record("project.participant_selected", actor=by, subject=participant, request=request)
    return participant


# Reach ------------------------------------------------------------------------------------------

NOT_ANSWERED = "not_answered"
STAGES = [("applied", _("Applied")), ("shortlisted", _("Shortlisted")), ("selected", _("Selected"))]
ETHNIC_GROUP_KEYS = ["white", "mixed", "asian", "black", "other"]


def _ethnic_group_of():
    from people.models.profiles import ETHNIC_GROUPS

    return {
        key: group_key
        for group_key, (_label, rows) in zip(ETHNIC_GROUP_KEYS, ETHNIC_GROUPS, strict=True)
        for key, _row_label, _code in rows
    }


def characteristic_categories() -> dict[str, dict]:
    """Each characteristic reported, with its label and categories [(key, label)] in order.

    Ethnicity is counted by the five broad groups of the 2021 census, so numbers are less small.
    Postcode districts have no fixed list: their categories come from the data.
    """
    from people.models.profiles import ETHNIC_GROUPS, PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL

    result = {}
    for name in CHARACTERISTICS:
        model_field = EqualityMonitoring._meta.get_field(name)
        if name == "ethnicity":
            categories = [
                (key, str(label)) for key, (label, _rows) in zip(ETHNIC_GROUP_KEYS, ETHNIC_GROUPS, strict=True)
            ]
            categories.append((PREFER_NOT_TO_SAY, str(PREFER_NOT_TO_SAY_LABEL)))
        elif model_field.choices:
            categories = [(key, str(label)) for key, label in model_field.flatchoices if key]
        else:
            categories = []
        result[name] = {"label": str(model_field.verbose_name).capitalize(), "categories": categories}
    return result


def _category_of(name: str, value: str, ethnic_groups: dict) -> str:
    if not value:
        return NOT_ANSWERED
    if name == "ethnicity":
        return ethnic_groups.get(value, value)
    if name == "postcode_district":
        return value.upper()
    return value


@dataclass
class ReachRow:
    key: str
    label: str
    cells: list  # one Cell per stage
    shares: list  # one percentage (or None) per stage, of that stage's shown total
    population: Decimal | None

    @property
    def columns(self) -> list[tuple]:
        return list(zip(self.cells, self.shares, strict=True))


@dataclass
class ReachTable:
    characteristic: str
    label: str
    rows: list[ReachRow]
    totals: list
    population_source: str = ""


@dataclass
class ReachReport:
    tables: list[ReachTable]
    total_applied: disclosure.Cell
    areas: list[str] = field(default_factory=list)
    area: str = ""
    rule: disclosure.Rule | None = None


def reach_report(snapshots, *, area: str = "") -> ReachReport:
    """Who applied, was shortlisted and was selected, by characteristic, as they were when they
    applied, beside the area's population. Every count goes through disclosure control.

    `snapshots` is an EqualitySnapshot queryset (one opportunity's, or a programme's). Two queries.
    """
    rule = disclosure.Rule.from_settings()
    rows = list(snapshots.values(*CHARACTERISTICS, "shortlisted", "selected"))
    areas = sorted(set(PopulationFigure.objects.values_list("area_name", flat=True)))
    area = area if area in areas else (areas[0] if areas else "")
    population = _latest_population(area)
    ethnic_groups = _ethnic_group_of()
    tables = []
    for name, spec in characteristic_categories().items():
        counts = {stage: Counter() for stage, _label in STAGES}
        for row in rows:
            category = _category_of(name, row[name], ethnic_groups)
            counts["applied"][category] += 1
            if row["shortlisted"]:
                counts["shortlisted"][category] += 1
            if row["selected"]:
                counts["selected"][category] += 1
        categories = list(spec["categories"])
        known = {key for key, _label in categories}
        if name == "postcode_district":
            extra = sorted((set(counts["applied"]) | set(population.get(name, {}))) - {NOT_ANSWERED})
            categories += [(key, key) for key in extra if key not in known]
        categories.append((NOT_ANSWERED, _("Not answered")))
        matrix = [[counts[stage][key] for stage, _label in STAGES] for key, _label in categories]
        protected = disclosure.protect_table(matrix, row_totals=False, column_totals=True, rule=rule)
        table_rows = []
        figures = population.get(name, {})
        for (key, label), cells in zip(categories, protected.cells, strict=True):
            shares = [
                rule.rounded_share(cell, total) for cell, total in zip(cells, protected.column_totals, strict=True)
            ]
            figure = figures.get(key)
            table_rows.append(
                ReachRow(key=key, label=label, cells=cells, shares=shares, population=figure.share if figure else None)
            )
        sources = sorted({f"{f.source} ({f.as_of:%B %Y})" for f in figures.values()})
        tables.append(
            ReachTable(
                characteristic=name,
                label=spec["label"],
                rows=table_rows,
                totals=protected.column_totals,
                population_source="; ".join(sources),
            )
        )
    total = disclosure.protect_count(len(rows), rule=rule)
    return ReachReport(tables=tables, total_applied=total, areas=areas, area=area, rule=rule)


def _latest_population(area: str) -> dict[str, dict[str, PopulationFigure]]:
    figures: dict[str, dict[str, PopulationFigure]] = {}
    if not area:
        return figures
    for figure in PopulationFigure.objects.filter(area_name=area).order_by("characteristic", "category", "-as_of"):
        figures.setdefault(figure.characteristic, {}).setdefault(figure.category, figure)  # newest first wins
    return figures


def view_reach_report(*, snapshots, area: str = "", by, subject, request=None) -> ReachReport:
    """The reach report for a page. It is read from equality answers (as totals), and every read
    of equality data is audited: `subject` is the opportunity or programme it is for."""
    report = reach_report(snapshots, area=area)
    audit.record("reach.viewed", actor=by, subject=subject, request=request)
    return report


def reach_csv_rows(report: ReachReport) -> list[list[str]]:
    """The report as CSV rows: only protected figures, never a true small count."""
    header = ["characteristic", "category"]
    for _stage, label in STAGES:
        header += [f"{label} (people)", f"{label} (%)"]
    header += [f"Population of {report.area} (%)" if report.area else "Population (%)"]
    out = [header]
    for table in report.tables:
        for row in table.rows:
            line = [table.label, row.label]
            for cell, share in zip(row.cells, row.shares, strict=True):
                line += [str(cell), "" if share is None else str(share)]
            line.append("" if row.population is None else str(row.population))
            out.append(line)
        total_line = [table.label, _("Total")]
        for cell in table.totals:
            total_line += [str(cell), ""]
        out.append([*total_line, ""])
    return out


# Population figures -----------------------------------------------------------------------------

POPULATION_COLUMNS = ["characteristic", "category", "share", "area", "source", "as_of"]


@dataclass
class PopulationLoad:
    saved: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)
    warnings: list[str] = field(default_factory=list)


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _category_lookup() -> dict[str, dict[str, str]]:
    """characteristic -> {key or label, lower case: key}."""
    lookup = {}
    for name, spec in characteristic_categories().items():
        names = {}
        for key, label in spec["categories"]:
            names[key.lower()] = key
            names[label.lower()] = key
        names[NOT_ANSWERED] = NOT_ANSWERED
        lookup[name] = names
    return lookup


def parse_population_csv(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in POPULATION_COLUMNS if c not in columns]
    if missing:
        return [], [
            (1, _("The first line must name the columns. Missing: %(columns)s") % {"columns": ", ".join(missing)})
        ]
    lookup = _category_lookup()
    good, rejects = [], []
    seen = set()
    for line_number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        characteristic = row["characteristic"].lower().replace(" ", "_")
        if characteristic not in lookup:
            rejects.append((line_number, _("Unknown characteristic “%(value)s”") % {"value": row["characteristic"]}))
            continue
        category_text = row["category"]
        if characteristic == "postcode_district":
            category = category_text.upper().replace(" ", "")
            valid = bool(category)
        else:
            category = lookup[characteristic].get(category_text.lower())
            valid = category is not None
        if not valid:
            rejects.append(
                (
                    line_number,
                    _("Unknown category “%(value)s” for %(name)s") % {"value": category_text, "name": characteristic},
                )
            )
            continue
        try:
            share = Decimal(row["share"].rstrip("%").strip())
        except InvalidOperation:
            share = None
        if (
            share is None
            or not share.is_finite()
            or share < 0
            or share > 100
            or share != share.quantize(Decimal("0.01"))
        ):
            rejects.append((line_number, _("Share must be a percentage from 0 to 100, with at most 2 decimal places")))
            continue
        as_of = _parse_date(row["as_of"])
        if as_of is None:
            rejects.append((line_number, _("as_of must be a date like 2021-03-21")))
            continue
        if not row["area"] or not row["source"]:
            rejects.append((line_number, _("area and source must be filled in")))
            continue
        if len(row["area"]) > 120 or len(row["source"]) > 200:
            rejects.append((line_number, _("area or source is too long")))
            continue
        key = (row["area"], characteristic, category, as_of)
        if key in seen:
            rejects.append((line_number, _("This category appears twice in the file for the same area and date")))
            continue
        seen.add(key)
        good.append(
            {
                "area_name": row["area"],
                "characteristic": characteristic,
                "category": category,
                "as_of": as_of,
                "share": share,
                "source": row["source"],
            }
        )
    return good, rejects


@transaction.atomic
def load_population_figures(*, text: str, by, request=None) -> PopulationLoad:
    """Load figures from CSV text. All or nothing: if any row is rejected, nothing is saved."""
    good, rejects = parse_population_csv(text)
    result = PopulationLoad(rejects=rejects)
    if rejects or not good:
        if not good and not rejects:
            result.rejects.append((1, _("The file has no rows of figures")))
        return result
    now = timezone.now()
    for row in good:
        PopulationFigure.objects.update_or_create(
            area_name=row["area_name"],
            characteristic=row["characteristic"],
            category=row["category"],
            as_of=row["as_of"],
            defaults={"share": row["share"], "source": row["source"], "loaded_by": by, "loaded_at": now},
        )
    totals = Counter()
    for row in good:
        totals[(row["area_name"], row["characteristic"], row["as_of"])] += row["share"]
    for (area, characteristic, as_of), total in sorted(totals.items()):
        if not Decimal(95) <= total <= Decimal(105):
            result.warnings.append(
                _("%(area)s, %(name)s (%(date)s): the shares add up to %(total)s%%, not about 100%%.")
                % {"area": area, "name": characteristic, "date": as_of, "total": total}
            )
    result.saved = len(good)
    audit.record("population.loaded", actor=by, detail=f"rows={len(good)}", request=request)
    return result
