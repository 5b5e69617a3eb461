"""Statistical disclosure control: the ONE rule for every count of people the portal shows.

Every table, chart, CSV and report that counts people goes through here (DESIGN.md, "Data that must
not be lost or leaked"). The rule, as NHS Digital uses below national level, with the numbers set in
settings:

- a count of 0 is shown as 0;
- a count from 1 to `DISCLOSURE_SUPPRESS_BELOW - 1` (default 1 to 7) is shown as "*" (primary);
- any other count is rounded to the nearest `DISCLOSURE_ROUND_TO` (default 5), halves up; a count
  that is not zero is never shown as 0;
- totals are added up from the true counts, then rounded (or suppressed) like any other count, so
  rounded figures may not add up to the rounded total;
- secondary suppression: wherever counts add up to a total (a group: a row or column and its
  total), one hidden figure could be worked out from the others, so a group may never have exactly
  one hidden figure. When it does, the next smallest figure in that group that is not zero is
  hidden too, and the check repeats over every group until nothing changes.

Callers get `Cell`s, which hold only what may be shown (the rounded count, or nothing), never the
true count, so a template or CSV cannot leak it by mistake.

    table = protect_table([[3, 40], [12, 9]])            # rows x columns, with both totals
    str(table.cells[0][0])                                # "*"
    str(table.column_totals[1]), str(table.grand_total)   # "50", "65"

    column = protect_column([2, 30, 14])                 # one group: categories and their total
    [str(c) for c in column.cells], str(column.total)     # ["*", "*", "15"], "45"
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

SUPPRESSED = "*"


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: a rounded count, or None when it is hidden."""

    shown: int | None

    @property
    def suppressed(self) -> bool:
        return self.shown is None

    def __str__(self) -> str:
        return SUPPRESSED if self.shown is None else str(self.shown)


@dataclass(frozen=True)
class Rule:
    """The threshold and rounding in force. Read from settings unless given."""

    suppress_below: int
    round_to: int

    @classmethod
    def from_settings(cls, suppress_below: int | None = None, round_to: int | None = None) -> Rule:
        below = settings.DISCLOSURE_SUPPRESS_BELOW if suppress_below is None else suppress_below
        step = settings.DISCLOSURE_ROUND_TO if round_to is None else round_to
        if below < 1 or step < 1:
            raise ValueError("DISCLOSURE_SUPPRESS_BELOW and DISCLOSURE_ROUND_TO must be 1 or more")
        return cls(suppress_below=int(below), round_to=int(step))

    def is_primary(self, count: int) -> bool:
        return 0 < count < self.suppress_below

    def round(self, count: int) -> int:
        if count == 0 or self.round_to == 1:
            return count
        rounded = int((Decimal(count) / self.round_to).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * self.round_to
        return max(rounded, self.round_to)  # "0" would say nobody; there was somebody

    def rounded_share(self, part: Cell, whole: Cell) -> Decimal | None:
        """A percentage worked out from shown (already protected) figures only, or None."""
        if part.suppressed or whole.suppressed or not whole.shown:
            return None
        return (Decimal(part.shown) * 100 / Decimal(whole.shown)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def protect(counts: dict[Hashable, int], groups: Iterable[Sequence[Hashable]], *, rule: Rule | None = None) -> dict:
    """The engine: true counts by key, and the groups of keys that add up (each group lists its
    parts and its total). Returns a Cell for every key."""
    rule = rule or Rule.from_settings()
    for key, count in counts.items():
        if count < 0:
            raise ValueError(f"a count of people cannot be negative ({key!r}: {count})")
    groups = [list(group) for group in groups]
    order = {key: index for index, key in enumerate(counts)}
    hidden = {key for key, count in counts.items() if rule.is_primary(count)}
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(1 for key in group if key in hidden) != 1:
                continue
            candidates = [key for key in group if key not in hidden and counts[key] > 0]
            if not candidates:
                # Everything else in the group is 0: the hidden figure equals the total, which is
                # itself below the threshold and so hidden already. Nothing more can be done here.
                continue
            hidden.add(min(candidates, key=lambda key: (counts[key], order[key])))
            changed = True
    return {key: Cell(None if key in hidden else rule.round(count)) for key, count in counts.items()}


@dataclass(frozen=True)
class ProtectedColumn:
    cells: list[Cell]
    total: Cell


def protect_column(counts: Sequence[int], *, rule: Rule | None = None) -> ProtectedColumn:
    """Counts that add up to one total (the categories of one characteristic, say)."""
    table = protect_table([[count] for count in counts], row_totals=False, rule=rule)
    return ProtectedColumn(cells=[row[0] for row in table.cells], total=table.column_totals[0])


@dataclass(frozen=True)
class ProtectedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None


def protect_table(
    rows: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    rule: Rule | None = None,
) -> ProtectedTable:
    """A table of counts (rows x columns). Totals are added from the true counts. Each row with
    its total, each column with its total, and each line of totals with the grand total, is a
    group for secondary suppression. Without a total, a row or column is not a group (nothing
    adds up to anything shown)."""
    rows = [list(row) for row in rows]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row needs the same number of columns")
    counts: dict[Hashable, int] = {}
    for r, row in enumerate(rows):
        for c, count in enumerate(row):
            counts[("cell", r, c)] = int(count)
    groups: list[list[Hashable]] = []
    if row_totals:
        for r, row in enumerate(rows):
            counts[("row", r)] = sum(row)
            groups.append([("cell", r, c) for c in range(width)] + [("row", r)])
    if column_totals:
        for c in range(width):
            counts[("column", c)] = sum(row[c] for row in rows)
            groups.append([("cell", r, c) for r in range(len(rows))] + [("column", c)])
    if row_totals and column_totals:
        counts[("grand",)] = sum(map(sum, rows))
        groups.append([("row", r) for r in range(len(rows))] + [("grand",)])
        groups.append([("column", c) for c in range(width)] + [("grand",)])
    cells = protect(counts, groups, rule=rule)
    return ProtectedTable(
        cells=[[cells[("cell", r, c)] for c in range(width)] for r in range(len(rows))],
        row_totals=[cells[("row", r)] for r in range(len(rows))] if row_totals else None,
        column_totals=[cells[("column", c)] for c in range(width)] if column_totals else None,
        grand_total=cells[("grand",)] if row_totals and column_totals else None,
    )


def protect_count(count: int, *, rule: Rule | None = None) -> Cell:
    """A single count shown on its own (no total beside it)."""
    rule = rule or Rule.from_settings()
    return protect({"count": count}, [], rule=rule)["count"]
