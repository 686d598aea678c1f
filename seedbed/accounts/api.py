
from ninja import Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    org_unit: str | None
    competencies: list[str]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The signed-in person")
@policy.api_rule("account.self")
def me(request):
    user = request.user
    return {
        "id": user.pk, "email": user.email, "full_name": user.full_name, "role": user.role,
        "org_unit": user.org_unit.name if user.org_unit_id else None,
        "competencies": [c.name for c in user.competencies.all()],
    }
