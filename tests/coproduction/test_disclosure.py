"""The one suppression rule: small counts hidden, others rounded, no hidden figure recoverable."""

import itertools
import random

import pytest

from coproduction.disclosure import Cell, Rule, protect, protect_column, protect_count, protect_table

DEFAULT = Rule(suppress_below=8, round_to=5)


def shown(cells):
    return [str(cell) for cell in cells]


# One count -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", range(1, 8))
def test_counts_from_one_to_seven_are_shown_as_a_star(count):
    assert str(protect_count(count, rule=DEFAULT)) == "*"
    assert protect_count(count, rule=DEFAULT).suppressed


def test_zero_is_shown_as_zero():
    cell = protect_count(0, rule=DEFAULT)
    assert str(cell) == "0" and cell.shown == 0 and not cell.suppressed


@pytest.mark.parametrize(
    ("count", "expected"),
    [(8, "10"), (9, "10"), (10, "10"), (12, "10"), (13, "15"), (17, "15"), (18, "20"), (102, "100"), (103, "105")],
)
def test_other_counts_are_rounded_to_the_nearest_five(count, expected):
    assert str(protect_count(count, rule=DEFAULT)) == expected


def test_the_defaults_come_from_settings(settings):
    settings.DISCLOSURE_SUPPRESS_BELOW = 8
    settings.DISCLOSURE_ROUND_TO = 5
    assert shown([protect_count(n) for n in (0, 7, 8, 12, 13)]) == ["0", "*", "10", "10", "15"]


def test_the_threshold_is_configurable(settings):
    settings.DISCLOSURE_SUPPRESS_BELOW = 11
    assert str(protect_count(10)) == "*"
    assert str(protect_count(11)) == "10"
    settings.DISCLOSURE_SUPPRESS_BELOW = 3
    assert str(protect_count(2)) == "*"
    assert str(protect_count(3)) == "5"


def test_the_rounding_is_configurable(settings):
    settings.DISCLOSURE_ROUND_TO = 10
    assert shown([protect_count(n) for n in (8, 14, 15, 26)]) == ["10", "10", "20", "30"]
    settings.DISCLOSURE_ROUND_TO = 1
    assert shown([protect_count(n) for n in (8, 13, 29)]) == ["8", "13", "29"]


def test_rounding_never_turns_somebody_into_nobody():
    rule = Rule(suppress_below=1, round_to=5)  # no suppression at all
    assert str(protect_count(1, rule=rule)) == "5"
    assert str(protect_count(2, rule=rule)) == "5"


def test_a_rule_of_zero_is_refused(settings):
    settings.DISCLOSURE_ROUND_TO = 0
    with pytest.raises(ValueError):
        protect_count(3)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        protect_count(-1, rule=DEFAULT)


def test_a_cell_carries_only_what_may_be_shown():
    cell = protect_count(12, rule=DEFAULT)
    assert cell == Cell(10)
    assert not hasattr(cell, "count") and not hasattr(cell, "value")


# Groups: secondary suppression ------------------------------------------------------------------


def test_a_single_suppressed_cell_in_a_column_forces_a_second():
    column = protect_column([3, 40, 25, 12], rule=DEFAULT)
    # 3 is hidden; 12 is the next smallest, so it is hidden too; the total is added from true counts.
    assert shown(column.cells) == ["*", "40", "25", "*"]
    assert str(column.total) == "80"


def test_two_suppressed_cells_need_no_more():
    column = protect_column([3, 5, 40, 12], rule=DEFAULT)
    assert shown(column.cells) == ["*", "*", "40", "10"]


def test_zeros_stay_zero_and_are_not_used_to_hide_another_cell():
    column = protect_column([3, 0, 30, 20], rule=DEFAULT)
    assert shown(column.cells) == ["*", "0", "30", "*"]


def test_a_small_total_is_itself_hidden():
    column = protect_column([2, 0, 0], rule=DEFAULT)
    assert shown(column.cells) == ["*", "0", "0"]
    assert str(column.total) == "*"


def test_totals_are_added_from_true_counts_then_rounded():
    # Shown as 10 + 10 + 10 = 30, but the true total is 36, shown as 35.
    column = protect_column([12, 12, 12], rule=DEFAULT)
    assert shown(column.cells) == ["10", "10", "10"]
    assert str(column.total) == "35"


def test_ties_take_the_first_smallest():
    column = protect_column([9, 2, 9], rule=DEFAULT)
    assert shown(column.cells) == ["*", "*", "10"]


def test_a_table_suppresses_across_rows_and_columns_until_nothing_changes():
    table = protect_table(
        [
            [3, 20, 30],
            [15, 25, 10],
            [40, 12, 50],
        ],
        rule=DEFAULT,
    )
    grid = [shown(row) for row in table.cells]
    assert grid[0][0] == "*"
    # Every row, column and line of totals has 0 or at least 2 hidden figures.
    for row, total in zip(table.cells, table.row_totals, strict=True):
        assert sum(cell.suppressed for cell in [*row, total]) != 1
    for c, total in enumerate(table.column_totals):
        assert sum(row[c].suppressed for row in table.cells) + total.suppressed != 1
    assert str(table.grand_total) == "205"


def test_a_table_without_row_totals_has_only_column_groups():
    table = protect_table([[3, 30], [20, 2], [40, 40]], row_totals=False, rule=DEFAULT)
    assert table.row_totals is None and table.grand_total is None
    # Column 1: 3 is hidden, so 20 is too. Column 2: 2 is hidden, so 30 is too. Rows are not groups.
    assert [shown(row) for row in table.cells] == [["*", "*"], ["*", "*"], ["40", "40"]]
    assert shown(table.column_totals) == ["65", "70"]


def test_rows_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        protect_table([[1, 2], [3]], rule=DEFAULT)


def test_an_empty_table_is_fine():
    table = protect_table([], rule=DEFAULT)
    assert table.cells == [] and str(table.grand_total) == "0"


def test_shares_are_worked_out_from_shown_figures_only():
    column = protect_column([3, 40, 25, 12], rule=DEFAULT)
    assert DEFAULT.rounded_share(column.cells[1], column.total) == 50  # 40 of 80
    assert DEFAULT.rounded_share(column.cells[0], column.total) is None


@pytest.mark.parametrize("seed", range(40))
def test_no_group_ever_has_a_single_hidden_figure(seed):
    generator = random.Random(seed)
    rows = [[generator.choice([0, 0, 1, 2, 5, 7, 8, 9, 13, 20, 60]) for _ in range(4)] for _ in range(5)]
    table = protect_table(rows, rule=DEFAULT)
    figures = {}
    groups = []
    for r, row in enumerate(table.cells):
        for c, cell in enumerate(row):
            figures[("cell", r, c)] = cell
        figures[("row", r)] = table.row_totals[r]
        groups.append([("cell", r, c) for c in range(4)] + [("row", r)])
    for c in range(4):
        figures[("column", c)] = table.column_totals[c]
        groups.append([("cell", r, c) for r in range(5)] + [("column", c)])
    figures["grand"] = table.grand_total
    groups.append([("row", r) for r in range(5)] + ["grand"])
    groups.append([("column", c) for c in range(4)] + ["grand"])
    for group in groups:
        hidden = [key for key in group if figures[key].suppressed]
        assert len(hidden) != 1, (rows, group)
    # Primary suppression holds everywhere.
    for r, c in itertools.product(range(5), range(4)):
        if 0 < rows[r][c] < 8:
            assert table.cells[r][c].suppressed


def test_protect_groups_by_any_keys():
    cells = protect({"a": 4, "b": 30, "c": 34, "d": 9}, [["a", "b", "c"]], rule=DEFAULT)
    assert shown(cells.values()) == ["*", "*", "35", "10"]
