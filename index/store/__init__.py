"""The articles' source of truth in SQLite, and the versions each has had."""
