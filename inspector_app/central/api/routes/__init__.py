"""One module per group of endpoints; every operation has a stable ``operation_id``."""
