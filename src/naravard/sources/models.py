"""What each sync of a source did, and every response it read (the provenance of its values)."""

from __future__ import annotations

import zlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naravard.ingest.models import ImportBatch


class Sync(models.Model):
    """One sync of one source: what it found and what became of it."""

    class Result(models.TextChoices):
        STORED = "stored", _("lagrade nya eller ändrade värden")
        UNCHANGED = "unchanged", _("oförändrad")
        REFUSED = "refused", _("vägrad")
        FAILED = "failed", _("misslyckades")

    source_id = models.CharField(_("källa"), max_length=64, db_index=True)
    started_at = models.DateTimeField(_("startad"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    result = models.CharField(_("resultat"), max_length=10, choices=Result.choices)
    requests = models.PositiveIntegerField(_("anrop"), default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    message = models.TextField(_("meddelande"), blank=True)
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="What the first request said of the source's version; the same again is "
        "an unchanged source.",
    )
    declaration = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the registry entry the sync followed."
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=150)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("hämtning")
        verbose_name_plural = _("hämtningar")

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.result}"

    @property
    def succeeded(self) -> bool:
        return self.result in (self.Result.STORED, self.Result.UNCHANGED)


class Response(models.Model):
    """One HTTP response a sync read, kept as it came (compressed) with its URL, time and
    SHA-256: the provenance of every value the sync stored."""

    sync = models.ForeignKey(Sync, on_delete=models.CASCADE, related_name="responses")
    method = models.CharField(max_length=6, default="GET")
    url = models.TextField()
    request_body = models.TextField(blank=True)
    status = models.PositiveSmallIntegerField()
    fetched_at = models.DateTimeField(default=timezone.now)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=200, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, help_text="The body, zlib-compressed.")

    class Meta:
        ordering = ["sync", "fetched_at", "pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.url} {self.status}"

    @property
    def content(self) -> bytes:
        return zlib.decompress(bytes(self.body)) if self.body else b""
