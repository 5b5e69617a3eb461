"""Everything the portal holds about a person, for their download and for erasure.

Each topic registers a section once (at import time, from its own module):

    personal_data.register(
        "applications",                  # section key in the export
        export=lambda user: [...],       # JSON-ready list/dict of everything held in this topic
        erase=lambda user: None,         # remove or anonymise it (money records the law keeps stay)
    )

`export_for(user)` builds the download; `erase_for(user)` runs every section's eraser. A new
model holding personal data must register here, or the data-rights test fails.

A field about the person that the download leaves out is named in NOT_EXPORTED with the reason
(`personal_data.not_exported("app.Model.field", reason=...)`); tests/quality/test_personal_data_markers.py
fails for any other personal field missing from the download.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None] | None


SECTIONS: dict[str, Section] = {}
NOT_EXPORTED: dict[str, str] = {}


def register(key: str, *, title: str, export, erase=None) -> None:
    SECTIONS[key] = Section(key=key, title=title, export=export, erase=erase)


def not_exported(field_label: str, *, reason: str) -> None:
    """Say why a field about the person is not in their download ("app.Model.field")."""
    NOT_EXPORTED[field_label] = reason


def export_for(user) -> dict:
    return {key: section.export(user) for key, section in SECTIONS.items()}


def erase_for(user) -> None:
    for section in SECTIONS.values():
        if section.erase is not None:
            section.erase(user)
