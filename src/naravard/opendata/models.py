"""Saved queries of the PxWeb API: a table's selection kept under an id, run anew each time."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SavedQuery(models.Model):
    """A selection of one table (``selection`` and ``placement`` as the API's
    VariablesSelection), in a language and an output format. It keeps the query, not the
    answer: its data are the published values as they stand when it is run."""

    id = models.CharField(primary_key=True, max_length=24)
    table_id = models.CharField(max_length=80)
    language = models.CharField(max_length=5)
    selection = models.JSONField(help_text="The variables' selections, as posted.")
    placement = models.JSONField(default=dict, blank=True)
    output_format = models.CharField(max_length=20)
    output_format_params = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.id}: {self.table_id}"
