"""What is public: an analyst releases an indicator's period; until then nobody outside sees it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """The values of one indicator and period as they stood at ``published_at`` are public.

    A correction stored later stays internal until the period is released again; every
    release is kept, so the public site can say when a period was revised."""

    indicator_id = models.CharField(_("indikator"), max_length=80)
    period = models.CharField(_("period"), max_length=10)
    published_at = models.DateTimeField(_("publicerad"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=150)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    withdrawn = models.BooleanField(
        _("återkallad"), default=False, help_text="This row takes the period off the public site."
    )

    class Meta:
        ordering = ["indicator_id", "period", "-published_at"]
        indexes = [models.Index(fields=["indicator_id", "period"])]
        verbose_name = _("publicering")
        verbose_name_plural = _("publiceringar")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.published_at:%Y-%m-%d %H:%M}"


class PlannedRelease(models.Model):
    """An indicator's period the agency plans to publish on ``planned_on``: the release
    calendar. Moved by planning it again; ``first_planned_on`` keeps the first date, so the
    calendar can say a release was moved."""

    indicator_id = models.CharField(_("indikator"), max_length=80)
    period = models.CharField(_("period"), max_length=10)
    planned_on = models.DateField(_("planerad"))
    first_planned_on = models.DateField(_("först planerad"))
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    actor = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_on", "indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_id", "period"], name="one_plan_per_indicator_period"
            )
        ]
        verbose_name = _("planerad publicering")
        verbose_name_plural = _("planerade publiceringar")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.planned_on:%Y-%m-%d}"
