"""Demo data for collection: the 2019 municipal survey (226 responses) and made-up status reports."""
