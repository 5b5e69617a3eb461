"""Access needs are flagged beside a person wherever staff plan around them (participant lists,
applications, attendance). The people app holds them and registers the lookup here at start-up,
so lower apps (programmes) can show the flag without importing people.
"""

_lookup = None


def register(lookup):
    """`lookup(viewer, project, user_ids)` → {user_id: needs} if the viewer may see them, else None."""
    global _lookup
    _lookup = lookup
    return lookup


def for_project(viewer, project, user_ids) -> dict | None:
    return _lookup(viewer, project, user_ids) if _lookup is not None else None
