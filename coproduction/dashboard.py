"""The signed-in dashboard is made of panels that each app registers (in its AppConfig.ready).

This keeps imports flowing down: coproduction does not import the apps above it; they call down
to register. A panel is a function `panel(request) -> dict | None`: None when it has nothing to
show this person, else {"template": ..., "order": int, **context}.
"""

PANELS = []


def register(panel):
    PANELS.append(panel)
    return panel


def panels_for(request) -> list[dict]:
    shown = [panel(request) for panel in PANELS]
    return sorted((p for p in shown if p), key=lambda p: p.get("order", 50))
