"""What every page, open-data face and the report share: units and numbers in words, chart builders, the base template."""
