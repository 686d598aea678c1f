# No "from __future__ import annotations": ninja reads these annotations at import time.


from django.core.exceptions import ValidationError
from ninja import Query, Router

from seedbed import policy
from seedbed.accounts.models import OrgUnit, User
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import (
    ChallengeIn,
    ChallengeOut,
    ChallengePatch,
)
from seedbed.ideas.models import Challenge, IdeaType
from seedbed.lib.validation import is_valid_id
from seedbed.strategy.models import FocusArea, PartnerOrganisation

router = Router(tags=["challenges"])

# The API names related records by id: `<relation>_ids` here, `<relation>` in the actions.
_RELATIONS = {
    "unit_ids": ("units", OrgUnit, "org units"),
    "focus_area_ids": ("focus_areas", FocusArea, "focus areas"),
    "partner_org_ids": ("partner_orgs", PartnerOrganisation, "partner organisations"),
    "idea_type_ids": ("idea_types", IdeaType, "idea types"),
}
_API_NAMES = {action_name: api_name for api_name, (action_name, _, _) in _RELATIONS.items()}
_API_NAMES["sponsor"] = "sponsor_id"


def _objects(api_name: str, ids: list[int]) -> list:
    _, model, label = _RELATIONS[api_name]
    # An id beyond 64 bits names no row (and SQLite cannot even compare it).
    found = list(model.objects.filter(pk__in={i for i in ids if is_valid_id(i)}))
    missing = set(ids) - {obj.pk for obj in found}
    if missing:
        raise ValidationError({api_name: f"Unknown {label}: {sorted(missing)}"})
    return found


def _sponsor(sponsor_id: int | None) -> User | None:
    if sponsor_id is None:
        return None
    sponsor = User.objects.filter(pk=sponsor_id).first() if is_valid_id(sponsor_id) else None
    if sponsor is None:
        raise ValidationError({"sponsor_id": "Unknown person."})
    return sponsor


def _to_action_args(data: dict) -> dict:
    """The payload's ids as the records the actions take."""
    args = {}
    for key, value in data.items():
        if key in _RELATIONS:
            args[_RELATIONS[key][0]] = None if value is None else _objects(key, value)
        elif key == "sponsor_id":
            args["sponsor"] = _sponsor(value)
        else:
            args[key] = value
    return args


def _api_field_names(exc: ValidationError) -> ValidationError:
    """Report the action's errors under the API's own field names (`unit_ids`, …)."""
    if hasattr(exc, "error_dict"):
        return ValidationError({_API_NAMES.get(field, field): messages
                                for field, messages in exc.message_dict.items()})
    return exc


def _challenge_qs(qs):
    return qs.select_related("created_by", "sponsor").prefetch_related(
        "units", "focus_areas", "partner_orgs", "idea_types")


def _one(challenge: Challenge) -> Challenge:
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.get("/challenges", response={200: Page[ChallengeOut], **ERRORS},
            summary="Challenges you may see")
@policy.api_rule("challenge.browse")
def list_challenges(request, status: Challenge.Status | None = None,
                    focus_area_id: int | None = None,
                    limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.visible_challenges(request.user)
    if status:
        qs = qs.filter(status=status)
    if focus_area_id is not None:
        qs = qs.filter(focus_areas__id=focus_area_id) if is_valid_id(focus_area_id) else qs.none()
    return page_of(_challenge_qs(qs).order_by("-created_at", "-id"), limit=limit, offset=offset)


@router.post("/challenges", response={201: ChallengeOut, **ERRORS},
             summary="Create a challenge (as a draft)")
@policy.api_rule("challenge.manage")
def create_challenge(request, payload: ChallengeIn):
    try:
        challenge = actions.create_challenge(request.user, **_to_action_args(payload.dict()))
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, _one(challenge)


@router.get("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.browse")
def get_challenge(request, challenge_id: int):
    return _one(selectors.get_challenge_for_user(request.user, challenge_id))


@router.patch("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS},
              summary="Change a challenge's fields")
@policy.api_rule("challenge.manage")
def update_challenge(request, challenge_id: int, payload: ChallengePatch):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    data = payload.dict(exclude_unset=True)
    # null: a list of ids is left as it is; dates and the sponsor are cleared; a value the
    # challenge cannot do without is refused.
    required = {k: "This field cannot be empty." for k in (
        "title", "description", "audience", "voting_mode", "token_budget") if k in data
        and data[k] is None}
    if required:
        raise ValidationError(required)
    data = {k: v for k, v in data.items() if v is not None or k not in _RELATIONS}
    try:
        actions.update_challenge(request.user, challenge, **_to_action_args(data))
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _one(challenge)


def _transition(request, challenge_id: int, change) -> Challenge:
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    try:
        change(request.user, challenge)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _one(challenge)


@router.post("/challenges/{challenge_id}/schedule", response={200: ChallengeOut, **ERRORS},
             summary="Schedule a draft: it opens by itself on its opening date (today: now)")
@policy.api_rule("challenge.manage")
def schedule_challenge(request, challenge_id: int):
    return _transition(request, challenge_id, actions.schedule_challenge)


@router.post("/challenges/{challenge_id}/unschedule", response={200: ChallengeOut, **ERRORS},
             summary="Take a scheduled challenge back to draft")
@policy.api_rule("challenge.manage")
def unschedule_challenge(request, challenge_id: int):
    return _transition(request, challenge_id, actions.unschedule_challenge)


@router.post("/challenges/{challenge_id}/open", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.manage")
def open_challenge(request, challenge_id: int):
    return _transition(request, challenge_id, actions.open_challenge)


@router.post("/challenges/{challenge_id}/close", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.manage")
def close_challenge(request, challenge_id: int):
    return _transition(request, challenge_id, actions.close_challenge)
