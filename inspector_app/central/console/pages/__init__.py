"""The console's pages, one module per part of the console, each with its own router under
``/console``; the helpers they share live in ``common``. Printed documents (``console/documents.py``)
and the document-number register (``console/numbers.py``) are pages too, kept beside their logic."""

from __future__ import annotations

from inspector_app.central.console.pages import (
    assignments,
    audit_trail,
    conflicts,
    enterprises,
    findings,
    forms,
    login,
    overview,
    requests,
    users,
    visits,
)

# In the order the app registers them (the order in which paths are matched: keep a fixed path
# such as /enterprises/import before the pattern /enterprises/{code} within a module).
ROUTERS = (
    login.router,
    overview.router,
    visits.router,
    findings.router,
    enterprises.router,
    requests.router,
    assignments.router,
    users.router,
    forms.router,
    conflicts.router,
    audit_trail.router,
)
