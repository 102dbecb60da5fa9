"""The annual follow-up report: built from the store as HTML and PDF, fact-checked by the regions."""
