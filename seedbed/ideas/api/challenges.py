# No "from __future__ import annotations": ninja reads these annotations at import time.


from django.core.exceptions import ValidationError
from ninja import Query, Router

from seedbed import policy
from seedbed.accounts.models import OrgUnit
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import (
    ChallengeIn,
    ChallengeOut,
    ChallengePatch,
)
from seedbed.ideas.models import Challenge
from seedbed.lib.validation import is_valid_id

router = Router(tags=["challenges"])


def _units(unit_ids: list[int] | None) -> list[OrgUnit] | None:
    if unit_ids is None:
        return None
    # An id beyond 64 bits names no unit (and SQLite cannot even compare it).
    units = list(OrgUnit.objects.filter(pk__in={i for i in unit_ids if is_valid_id(i)}))
    missing = set(unit_ids) - {u.pk for u in units}
    if missing:
        raise ValidationError({"unit_ids": f"Unknown org units: {sorted(missing)}"})
    return units


def _api_field_names(exc: ValidationError) -> ValidationError:
    """Report the action's `units` errors under the API's own field name, `unit_ids`."""
    if hasattr(exc, "error_dict") and "units" in exc.error_dict:
        errors = dict(exc.message_dict)
        errors["unit_ids"] = errors.pop("units")
        return ValidationError(errors)
    return exc


def _challenge_qs(qs):
    return qs.select_related("created_by").prefetch_related("units")


@router.get("/challenges", response={200: Page[ChallengeOut], **ERRORS},
            summary="Challenges you may see")
@policy.api_rule("challenge.browse")
def list_challenges(request, status: Challenge.Status | None = None,
                    limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.visible_challenges(request.user)
    if status:
        qs = qs.filter(status=status)
    return page_of(_challenge_qs(qs).order_by("-created_at", "-id"), limit=limit, offset=offset)


@router.post("/challenges", response={201: ChallengeOut, **ERRORS},
             summary="Create a challenge (as a draft)")
@policy.api_rule("challenge.manage")
def create_challenge(request, payload: ChallengeIn):
    data = payload.dict()
    units = _units(data.pop("unit_ids"))
    try:
        challenge = actions.create_challenge(request.user, units=units, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.get("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.browse")
def get_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.patch("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS},
              summary="Change a challenge's fields")
@policy.api_rule("challenge.manage")
def update_challenge(request, challenge_id: int, payload: ChallengePatch):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    data = payload.dict(exclude_unset=True)
    if "unit_ids" in data:
        data["units"] = _units(data.pop("unit_ids"))
    try:
        actions.update_challenge(request.user, challenge, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.post("/challenges/{challenge_id}/open", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.manage")
def open_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    actions.open_challenge(request.user, challenge)
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.post("/challenges/{challenge_id}/close", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.manage")
def close_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    actions.close_challenge(request.user, challenge)
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


