"""The office console: server-rendered pages of inspector-central for the street office (issue 13)."""
