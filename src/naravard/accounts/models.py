"""The user model: every account has one role, bound to at most one organisation."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naravard.refdata.models import Municipality, Region


class Role(models.TextChoices):
    ANALYST = "analyst", _("Nationell analytiker")
    REGION_COORDINATOR = "region_coordinator", _("Regionsamordnare")
    MUNICIPALITY_RESPONDENT = "municipality_respondent", _("Kommunrespondent")


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """A superuser is a national analyst (bound to no organisation)."""
        extra_fields.update(role=Role.ANALYST, region=None, municipality=None)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A signed-in person. The public reads without an account."""

    objects: ClassVar[UserManager] = UserManager()

    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("region"),
        help_text=_("Endast för regionsamordnare."),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("kommun"),
        help_text=_("Endast för kommunrespondenter."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # django-stubs types the base Meta's names as str; Django takes lazy text here
        verbose_name = _("användare")  # type: ignore[assignment]
        verbose_name_plural = _("användare")  # type: ignore[assignment]
        constraints = [
            models.CheckConstraint(
                name="user_role_matches_organisation",
                condition=(
                    Q(role=Role.ANALYST, region__isnull=True, municipality__isnull=True)
                    | Q(
                        role=Role.REGION_COORDINATOR,
                        region__isnull=False,
                        municipality__isnull=True,
                    )
                    | Q(
                        role=Role.MUNICIPALITY_RESPONDENT,
                        region__isnull=True,
                        municipality__isnull=False,
                    )
                ),
                violation_error_message=_(
                    "En analytiker hör inte till någon organisation, en regionsamordnare hör till "
                    "exakt en region och en kommunrespondent till exakt en kommun."
                ),
            ),
        ]

    REQUIRED_FIELDS = ["email"]

    def clean(self) -> None:
        super().clean()
        if self.role == Role.REGION_COORDINATOR and not self.region_id:
            raise ValidationError({"region": _("En regionsamordnare måste höra till en region.")})
        if self.role == Role.MUNICIPALITY_RESPONDENT and not self.municipality_id:
            raise ValidationError(
                {"municipality": _("En kommunrespondent måste höra till en kommun.")}
            )
        if self.role == Role.ANALYST and (self.region_id or self.municipality_id):
            raise ValidationError(_("En analytiker hör inte till någon organisation."))
        if self.role == Role.REGION_COORDINATOR and self.municipality_id:
            raise ValidationError(
                {"municipality": _("En regionsamordnare hör inte till en kommun.")}
            )
        if self.role == Role.MUNICIPALITY_RESPONDENT and self.region_id:
            raise ValidationError({"region": _("En kommunrespondent hör inte till en region.")})

    @property
    def organisation(self) -> Region | Municipality | None:
        return self.region or self.municipality

    def __str__(self) -> str:
        return self.get_full_name() or self.username


LAST_USE_RECORDED_EVERY = dt.timedelta(minutes=1)  # how exact a token's last use is kept


class ApiToken(models.Model):
    """A secret that lets another system act as one account over the JSON API.

    Only a SHA-256 of the secret is stored; the secret is shown once, when made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(max_length=8, help_text="The first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name}, {self.user})"

    @staticmethod
    def digest(secret: str) -> str:
        import hashlib

        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Make a token; returns it and the secret (not stored anywhere)."""
        import secrets

        secret = "nv_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=secret[:8], key_hash=cls.digest(secret)
        )
        return token, secret

    @classmethod
    def user_for(cls, secret: str) -> User | None:
        from django.utils import timezone

        try:  # get, not first: the key is unique, and ordering to take the first costs time
            token = cls.objects.select_related("user").get(
                key_hash=cls.digest(secret), revoked_at__isnull=True
            )
        except cls.DoesNotExist:
            return None
        if not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RECORDED_EVERY:
            # not on every request: the write would lock the token's row until the request's
            # transaction ends, and a system's requests sent at once would wait for each other
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
