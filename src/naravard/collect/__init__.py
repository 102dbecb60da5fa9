"""Collection: form definitions, reporting rounds, responses, checks, queries, audit and reminders."""
