"""The payroll file: one row per person per batch, streamed as CSV."""

import csv

from recognition.summaries import payee_totals

HEADER = [
    "batch_reference",
    "payee_reference",
    "full_name",
    "email",
    "involvement_payments_taxable_gbp",
    "vouchers_gbp",
    "expenses_not_taxable_gbp",
    "total_gbp",
    "reward_lines",
    "expense_lines",
    "earliest_date",
    "latest_date",
    "batch_up_to",
]
# A cell starting with one of these could run as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    text = str(value or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def payroll_rows(batch):
    """Header, then one row per person. Amounts are pounds to the penny; the payee reference is the
    person's portal id (payroll matches it to their payroll record)."""
    yield HEADER
    for payee in payee_totals(batch):
        dates = payee.dates
        yield [
            batch.reference,
            str(payee.person.public_id),
            safe_text(payee.person.name),
            safe_text(payee.person.email),
            f"{payee.payments:.2f}",
            f"{payee.vouchers:.2f}",
            f"{payee.expenses:.2f}",
            f"{payee.total:.2f}",
            payee.reward_lines,
            payee.expense_lines,
            min(dates).isoformat() if dates else "",
            max(dates).isoformat() if dates else "",
            batch.up_to.isoformat(),
        ]


def stream_csv(rows):
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
