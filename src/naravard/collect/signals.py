"""Signals other apps listen to: a response was submitted (its answers are final for now)."""

from django.dispatch import Signal

# sent inside the submitting transaction, with ``response`` (its submitted_answers set)
response_submitted = Signal()
