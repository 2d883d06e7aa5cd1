"""The ``inspector-app`` command line: the GUI by default, plus commands for scripts and office staff."""
