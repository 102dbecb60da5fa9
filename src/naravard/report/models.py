"""A follow-up round: the year's report and what it is built from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from naravard.collect.models import Round


class FollowUp(models.Model):
    """One year's follow-up (e.g. "2020"): which collection rounds and which indicator periods
    its report uses, and the date it is published."""

    name = models.CharField(_("namn"), max_length=20, unique=True,
                            help_text="How commands name it, e.g. 2020.")
    title_sv = models.CharField(_("titel (svenska)"), max_length=200)
    title_en = models.CharField(_("titel (engelska)"), max_length=200)
    published_on = models.DateField(_("publiceringsdag"),
                                    help_text="The only date printed in the report.")
    data_until = models.DateField(_("data till och med"),
                                  help_text="Indicator periods ending on or before this day.")
    survey_round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("kommunenkät"))
    status_round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("nulägesrapporter"))

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("uppföljningsomgång")
        verbose_name_plural = _("uppföljningsomgångar")

    def __str__(self) -> str:
        return self.name

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_sv


class PublishedReport(models.Model):
    """A built report as published on the public site, in one language; a new publication of
    the same follow-up and language replaces what the site shows (the older rows stay)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="published")
    lang = models.CharField(max_length=2, choices=[("sv", "svenska"), ("en", "English")])
    html = models.TextField()
    pdf = models.BinaryField()
    manifest = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publicerad rapport")
        verbose_name_plural = _("publicerade rapporter")

    def __str__(self) -> str:
        return f"{self.followup.name} ({self.lang})"
