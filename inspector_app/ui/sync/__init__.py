"""Sync in the desktop app: the controller (when and where a sync runs), the login dialog, the
status-bar widget and the 同步 page. The engine itself is ``inspector_app.sync`` (no Qt there).

Nothing here imports httpx, sqlalchemy or the sync engine at module level: they are imported
inside the jobs, which run on the storage worker or the pool, after the window is shown.
"""
