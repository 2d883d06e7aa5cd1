"""Reusable widgets: item editors (the type registry), signature pad, finding editor, dialogs."""
