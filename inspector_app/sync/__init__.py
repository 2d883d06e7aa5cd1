"""The laptop's side of sync (no Qt here: the GUI wires it into its status bar).

``login`` once per inspector, then ``SyncEngine.sync_once`` pushes the outbox and pulls the
office's changes; ``export_bundle`` writes the same push to a file when there is no network.
The protocol is described in docs/sync-protocol.md.
"""
