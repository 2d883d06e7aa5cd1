"""Plain entities and rules of field inspection. No Qt, no SQL: everything here is testable alone."""
