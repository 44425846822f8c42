"""Writes of the back office: the dues schedule, the cluster's legal details, logins and roles.

Each function checks its permission, validates, writes in one transaction and leaves an audit
row; the back-office views and the Django admin call the same functions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.backoffice import permissions
from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.members.models import (
    VISIBILITY_RANK,
    ClusterProfile,
    College,
    FeeBand,
    FeeBasis,
    FeeSchedule,
    FieldPolicy,
    Visibility,
)
from grappe.members.permissions import ORGANISATION_FIELDS
from grappe.members.services.dues import band_label

CLUSTER_PROFILE_FIELDS = [
    "name", "legal_name", "street", "postcode", "city", "siret", "vat_number", "email", "iban",
    "bic", "payment_days", "resignation_deadline",
]  # fmt: skip
USER_FIELDS = ["first_name", "last_name", "email", "language", "is_active", "is_staff",
               "is_expert", "is_superuser"]  # fmt: skip


@dataclass(frozen=True)
class BandSpec:
    """One band as staff enter it: dues `amount` for a basis value in [minimum, maximum)."""

    minimum: Decimal
    maximum: Decimal | None
    amount: Decimal


# --- Dues schedule -------------------------------------------------------------------------


def _college_label(college: str) -> str:
    return str(College(college).label) if college in College.values else college


def check_bands(bands: Iterable[FeeBand]) -> None:
    """Bands of one collège share one basis, start at 0, neither overlap nor leave a gap, and
    the last one has no upper limit: every organisation falls in exactly one band."""
    by_college: dict[str, list[FeeBand]] = defaultdict(list)
    for band in bands:
        by_college[band.college].append(band)
    errors: list[str] = []
    for college, group in sorted(by_college.items()):
        errors.extend(_college_errors(_college_label(college), group))
    if errors:
        raise ValidationError({"bands": errors})


def _college_errors(college: str, group: list[FeeBand]) -> list[str]:
    bases = {band.basis for band in group}
    if len(bases) > 1:
        return [
            _("The bands of %(college)s must all use the same basis (now: %(bases)s).")
            % {
                "college": college,
                "bases": ", ".join(sorted(str(FeeBasis(b).label) for b in bases)),
            }
        ]
    errors = []
    group = sorted(group, key=lambda b: (b.minimum, b.maximum is None, b.maximum or 0))
    if group[0].basis == FeeBasis.FLAT and len(group) > 1:
        return [_("%(college)s has a flat fee: it takes one band only.") % {"college": college}]
    if group[0].minimum != 0:
        errors.append(
            _("The first band of %(college)s, “%(band)s”, must start at 0.")
            % {"college": college, "band": band_label(group[0])}
        )
    for lower, upper in zip(group, group[1:], strict=False):
        if lower.maximum is None or lower.maximum > upper.minimum:
            errors.append(
                _("In %(college)s, the band “%(band)s” overlaps the band “%(other)s”.")
                % {"college": college, "band": band_label(lower), "other": band_label(upper)}
            )
        elif lower.maximum < upper.minimum:
            errors.append(
                _(
                    "In %(college)s, there is a gap between the band “%(band)s” and the band “%(other)s”."
                )
                % {"college": college, "band": band_label(lower), "other": band_label(upper)}
            )
    if group[-1].maximum is not None:
        errors.append(
            _("In %(college)s, the last band “%(band)s” must have no upper limit.")
            % {"college": college, "band": band_label(group[-1])}
        )
    return errors


def _band_errors(spec: BandSpec, basis: str) -> list[str]:
    errors = []
    if spec.minimum < 0:
        errors.append(_("A band cannot start below 0."))
    if spec.maximum is not None and spec.maximum <= spec.minimum:
        errors.append(
            _("The band starting at %(low)s must end above its start.") % {"low": spec.minimum}
        )
    if spec.amount < 0:
        errors.append(_("Dues cannot be negative."))
    if basis == FeeBasis.FLAT and (spec.minimum != 0 or spec.maximum is not None):
        errors.append(_("A flat fee has no limits: leave “from” at 0 and “below” empty."))
    return errors


def _band_audit(*, actor: Any, band: FeeBand, action: str, before: dict[str, Any]) -> None:
    after = snapshot(band) if action != "fee_band.delete" else dict.fromkeys(before)
    audit_record(actor=actor, obj=band, action=action, before=before, after=after)


def fee_schedule_create(
    *, actor: Any, year: int, vat_rate: Decimal = Decimal("20.00"), notes: str = ""
) -> FeeSchedule:
    """An empty schedule for `year`; its bands are added collège by collège."""
    require(permissions.can_edit_fee_schedule(actor))
    errors = {}
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    elif FeeSchedule.objects.filter(year=year).exists():
        errors["year"] = _("There is already a dues schedule for %(year)s.") % {"year": year}
    if not Decimal(0) <= vat_rate <= Decimal(100):
        errors["vat_rate"] = _("The VAT rate is a percentage between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule = FeeSchedule.objects.create(year=year, vat_rate=vat_rate, notes=notes)
        audit_record(actor=actor, obj=schedule, action="fee_schedule.create")
    return schedule


def fee_schedule_update(
    *, actor: Any, schedule: FeeSchedule, vat_rate: Decimal, notes: str = ""
) -> FeeSchedule:
    """Change the VAT rate and notes; invoices already issued keep their own rate."""
    require(permissions.can_edit_fee_schedule(actor))
    if not Decimal(0) <= vat_rate <= Decimal(100):
        raise ValidationError({"vat_rate": _("The VAT rate is a percentage between 0 and 100.")})
    with transaction.atomic():
        schedule = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
        before = snapshot(schedule)
        schedule.vat_rate, schedule.notes = vat_rate, notes
        schedule.save()
        audit_record(actor=actor, obj=schedule, action="fee_schedule.update", before=before)
    return schedule


def fee_schedule_copy(*, actor: Any, year: int) -> FeeSchedule:
    """The schedule of `year` copied to `year + 1`, bands and VAT rate included."""
    require(permissions.can_edit_fee_schedule(actor))
    source = FeeSchedule.objects.filter(year=year).prefetch_related("bands").first()
    if source is None:
        raise ValidationError(
            {"year": _("There is no dues schedule for %(year)s to copy.") % {"year": year}}
        )
    if FeeSchedule.objects.filter(year=year + 1).exists():
        raise ValidationError(
            {"year": _("There is already a dues schedule for %(year)s.") % {"year": year + 1}}
        )
    with transaction.atomic():
        target = FeeSchedule.objects.create(
            year=year + 1, vat_rate=source.vat_rate, notes=source.notes
        )
        audit_record(
            actor=actor,
            obj=target,
            action="fee_schedule.copy",
            after={**snapshot(target), "copied_from": year},
        )
        for band in source.bands.all():
            copy = FeeBand.objects.create(
                schedule=target, college=band.college, basis=band.basis,
                minimum=band.minimum, maximum=band.maximum, amount=band.amount,
            )  # fmt: skip
            audit_record(actor=actor, obj=copy, action="fee_band.add")
    return target


def _validated_bands(
    schedule: FeeSchedule, college: str, basis: str, specs: list[BandSpec]
) -> list[FeeBand]:
    """Unsaved bands for `specs`, once each band and the collège as a whole are valid."""
    if college not in College.values:
        raise ValidationError({"college": _("Unknown collège.")})
    if basis not in FeeBasis.values:
        raise ValidationError({"basis": _("Unknown basis.")})
    errors = [message for spec in specs for message in _band_errors(spec, basis)]
    if errors:
        raise ValidationError({"bands": errors})
    wanted = [
        FeeBand(schedule=schedule, college=college, basis=basis, minimum=s.minimum,
                maximum=s.maximum, amount=s.amount)
        for s in specs
    ]  # fmt: skip
    if wanted:
        check_bands(wanted)
    return wanted


def fee_bands_set(
    *, actor: Any, schedule: FeeSchedule, college: str, basis: str, bands: list[BandSpec]
) -> list[FeeBand]:
    """Replace the bands of one collège at once: bands kept, changed, added and deleted are
    matched by their lower limit and each change is audited. An empty list removes them all."""
    require(permissions.can_edit_fee_schedule(actor))
    wanted = _validated_bands(schedule, college, basis, bands)
    with transaction.atomic():
        existing = {
            band.minimum: band
            for band in FeeBand.objects.select_for_update().filter(
                schedule=schedule, college=college
            )
        }
        result = []
        for band in wanted:
            current = existing.pop(band.minimum, None)
            if current is None:
                band.save()
                _band_audit(actor=actor, band=band, action="fee_band.add", before={})
                result.append(band)
                continue
            before = snapshot(current)
            current.basis, current.maximum, current.amount = band.basis, band.maximum, band.amount
            if snapshot(current) != before:
                current.save()
                _band_audit(actor=actor, band=current, action="fee_band.change", before=before)
            result.append(current)
        for band in existing.values():
            _band_audit(actor=actor, band=band, action="fee_band.delete", before=snapshot(band))
            band.delete()
    return result


def _college_specs(
    schedule: FeeSchedule, college: str, exclude: int | None = None
) -> list[BandSpec]:
    bands = FeeBand.objects.filter(schedule=schedule, college=college)
    if exclude is not None:
        bands = bands.exclude(pk=exclude)
    return [BandSpec(b.minimum, b.maximum, b.amount) for b in bands]


def fee_band_add(
    *,
    actor: Any,
    schedule: FeeSchedule,
    college: str,
    basis: str,
    minimum: Decimal,
    maximum: Decimal | None,
    amount: Decimal,
) -> FeeBand:
    """Add one band; the collège's bands must still cover every value exactly once."""
    require(permissions.can_edit_fee_schedule(actor))
    specs = [*_college_specs(schedule, college), BandSpec(minimum, maximum, amount)]
    fee_bands_set(actor=actor, schedule=schedule, college=college, basis=basis, bands=specs)
    return FeeBand.objects.get(schedule=schedule, college=college, minimum=minimum)


def fee_band_update(
    *,
    actor: Any,
    band: FeeBand,
    minimum: Decimal,
    maximum: Decimal | None,
    amount: Decimal,
    basis: str | None = None,
) -> FeeBand:
    """Change one band's limits or dues; the collège's other bands are checked with it."""
    require(permissions.can_edit_fee_schedule(actor))
    basis = basis or band.basis
    specs = [*_college_specs(band.schedule, band.college, exclude=band.pk)]
    specs.append(BandSpec(minimum, maximum, amount))
    _validated_bands(band.schedule, band.college, basis, specs)
    with transaction.atomic():
        if minimum != band.minimum:
            # The band moves: its row (and its audit trail) follows under the new lower limit.
            before = snapshot(band)
            band.minimum, band.maximum, band.amount, band.basis = minimum, maximum, amount, basis
            band.save()
            _band_audit(actor=actor, band=band, action="fee_band.change", before=before)
        fee_bands_set(
            actor=actor, schedule=band.schedule, college=band.college, basis=basis, bands=specs
        )
    band.refresh_from_db()
    return band


def fee_band_delete(*, actor: Any, band: FeeBand) -> None:
    """Delete one band: only the last one, or the lone band of a collège, can go alone."""
    require(permissions.can_edit_fee_schedule(actor))
    specs = _college_specs(band.schedule, band.college, exclude=band.pk)
    fee_bands_set(
        actor=actor, schedule=band.schedule, college=band.college, basis=band.basis, bands=specs
    )


# --- The cluster's own details -------------------------------------------------------------


def cluster_profile_get() -> ClusterProfile:
    """The one profile row, or an unsaved default one until staff first save it."""
    return ClusterProfile.objects.order_by("pk").first() or ClusterProfile()


def cluster_profile_update(*, actor: Any, data: dict[str, Any]) -> ClusterProfile:
    """Legal details printed on the invoices issued from now on (issued ones keep theirs)."""
    require(permissions.can_edit_cluster_profile(actor))
    unknown = set(data) - set(CLUSTER_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    with transaction.atomic():
        profile = ClusterProfile.objects.select_for_update().order_by("pk").first()
        before = snapshot(profile) if profile else {}
        profile = profile or ClusterProfile()
        for field, value in data.items():
            setattr(profile, field, value)
        profile.full_clean()
        profile.save()
        audit_record(actor=actor, obj=profile, action="cluster_profile.update", before=before)
    return profile


# --- Visibility limits -----------------------------------------------------------------------


def field_policy_set(*, actor: Any, field: str, default: str, most_open: str) -> FieldPolicy:
    """Staff's limit on one profile field: its default level and the most open one allowed."""
    require(permissions.can_edit_field_policy(actor))
    errors = {}
    if field not in ORGANISATION_FIELDS:
        errors["field"] = _("Unknown profile field.")
    for name, level in (("default", default), ("most_open", most_open)):
        if level not in Visibility.values:
            errors[name] = _("Unknown visibility level.")
    if not errors and VISIBILITY_RANK[default] < VISIBILITY_RANK[most_open]:
        errors["default"] = _("The default cannot be more open than the most open level.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy = FieldPolicy.objects.select_for_update().filter(field=field).first()
        before = snapshot(policy) if policy else {}
        policy = policy or FieldPolicy(field=field)
        policy.default, policy.most_open = default, most_open
        policy.save()
        audit_record(actor=actor, obj=policy, action="field_policy.set", before=before)
    return policy


# --- Logins and roles ------------------------------------------------------------------------


def user_set_expert(*, actor: Any, user: Any, is_expert: bool) -> Any:
    """Staff name (or withdraw) a reviewer of R&D projects."""
    require(permissions.can_set_expert(actor, user))
    with transaction.atomic():
        user = type(user).objects.select_for_update().get(pk=user.pk)
        if user.is_expert == is_expert:
            return user
        before = snapshot(user, ["is_expert"])
        user.is_expert = is_expert
        user.save(update_fields=["is_expert"])
        audit_record(
            actor=actor, obj=user, action="user.expert", before=before,
            after=snapshot(user, ["is_expert"]),
        )  # fmt: skip
    return user


def user_update(*, actor: Any, user: Any, data: dict[str, Any]) -> Any:
    """Staff change a login's name, address, language, activity and roles (from the admin)."""
    require(permissions.can_manage_users(actor, user))
    unknown = set(data) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    if "is_superuser" in data and bool(data["is_superuser"]) != bool(user.is_superuser):
        require(permissions.can_grant_superuser(actor))
    if data.get("is_active") is False and user.pk == getattr(actor, "pk", None):
        raise ValidationError({"is_active": _("You cannot deactivate your own login.")})
    with transaction.atomic():
        user = type(user).objects.select_for_update().get(pk=user.pk)
        before = snapshot(user, USER_FIELDS)
        for field, value in data.items():
            setattr(user, field, value)
        if "email" in data:
            user.email = type(user).objects.normalize_email(user.email).lower()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            actor=actor, obj=user, action="user.update", before=before,
            after=snapshot(user, USER_FIELDS),
        )  # fmt: skip
    return user


def user_create(*, actor: Any, email: str, password: str | None, data: dict[str, Any]) -> Any:
    """A login created by staff (the person behind it signs in with this e-mail address)."""
    from django.contrib.auth import get_user_model

    require(permissions.can_manage_users(actor))
    if data.get("is_superuser"):
        require(permissions.can_grant_superuser(actor))
    model = get_user_model()
    email = model.objects.normalize_email(email).lower()
    if model.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A login with this e-mail address already exists.")})
    with transaction.atomic():
        user = model(email=email, **{k: v for k, v in data.items() if k in USER_FIELDS})
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=actor, obj=user, action="user.create", after=snapshot(user, USER_FIELDS))
    return user
