"""HOOK: "the differences your input made", from "We did" actions (the reporting issue).

reporting/ sits above recognition, so it registers a provider here from its AppConfig.ready():

    from recognition import differences
    differences.register(lambda member: [
        differences.Difference(said="…", did="…", project="…", on=date(…)), …
    ])

A provider returns the "We did" outcomes linked to what this member said or took part in, in a fixed
number of queries. With no provider (or nothing to show) the section is left off the page.
"""

from dataclasses import dataclass
from datetime import date

PROVIDERS = []


@dataclass(frozen=True)
class Difference:
    said: str
    did: str
    project: str = ""
    on: date | None = None


def register(provider):
    PROVIDERS.append(provider)
    return provider


def for_member(member) -> list[Difference]:
    found = []
    for provider in PROVIDERS:
        found.extend(provider(member) or [])
    return found
