
from datetime import date, datetime
from typing import Any

from ninja import Query, Router, Schema

from seedbed import policy
from seedbed.audit import selectors
from seedbed.core.api import ERRORS, Page, page_of

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor: str
    verb: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    request_id: str
    ip: str | None
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class EventFilter(Schema):
    actor: str = ""
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


@router.get("/events", response={200: Page[AuditEventOut], **ERRORS},
            summary="Browse the audit trail, newest first")
@policy.api_rule("audit.browse")
def list_events(request, filters: Query[EventFilter], limit: int = Query(50, ge=1, le=200),
                offset: int = Query(0, ge=0)):
    events = selectors.filter_events(selectors.visible_events(request.user),
                                     **filters.dict())
    return page_of(events, limit=limit, offset=offset)
