from __future__ import annotations

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from seedbed import policy


class Role(models.TextChoices):
    ADMIN = policy.ADMIN, "Administrator"
    MANAGER = policy.MANAGER, "Innovation manager"
    LEADER = policy.LEADER, "Top management"
    EVALUATOR = policy.EVALUATOR, "Evaluator"
    CONTRIBUTOR = policy.CONTRIBUTOR, "Contributor"
    PARTNER = policy.PARTNER, "External partner"
    AUDITOR = policy.AUDITOR, "Auditor"


class OrgUnit(models.Model):
    """A node of the organisation's tree (division, department, team)."""

    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ids ("/1/4/9/"): ancestors and descendants in one indexed lookup.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)
            if old:
                # Moved: re-root every descendant's path under the new one.
                for child in OrgUnit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    OrgUnit.objects.filter(pk=child.pk).update(path=path + child.path[len(old):])

    def clean(self) -> None:
        # Under itself or one of its own descendants the tree would loop and every path below
        # it would be rewritten into nonsense.
        if self.pk and self.parent_id and (
            self.parent_id == self.pk or f"/{self.pk}/" in self.parent.path
        ):
            raise ValidationError(
                {"parent": "A unit cannot be placed under itself or one of its own sub-units."}
            )

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Competency(models.Model):
    """A skill people hold (clause 7.2), used to find experts and spot gaps."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A person who signs in with an e-mail address and holds exactly one role."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    partner_org = models.ForeignKey(
        "strategy.PartnerOrganisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="accounts", verbose_name="partner organisation",
        help_text="For partner accounts: the organisation they belong to.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="holders")
    is_active = models.BooleanField(default=True)
    access_until = models.DateField(
        null=True, blank=True, help_text="Access lapses after this date (e.g. an external auditor)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        # Only external collaborators belong to a partner organisation (clause 6.6).
        if self.partner_org_id and self.role != policy.PARTNER:
            raise ValidationError(
                {"partner_org": "Only partner accounts may belong to a partner organisation."})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Roles are the whole authorisation model: the admin site asks these.
    @property
    def is_staff(self) -> bool:
        return policy.role_of(self) == policy.ADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the secret is shown once."""

    PREFIX = "sbt_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    lookup = models.CharField(max_length=12, help_text="First characters, to recognise a token.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.lookup}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        # Tokens carry 256 bits of randomness, so a plain SHA-256 suffices (no slow KDF needed).
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
