"""Probes for initiatives: list and overview. The probed initiative is promoted from the matrix
idea (by the contributor) and is not confidential; the partner is not on its team (404)."""

from __future__ import annotations

from tests.matrix._base import Probe


def build(users, org) -> dict:
    from seedbed.ideas import actions
    from seedbed.ideas.models import Idea
    from tests.support import new_challenge, new_initiative

    challenge = actions.open_challenge(users["manager"], new_challenge(
        users["manager"], title="Faster changeovers", description="Halve line changeover time."))
    idea = actions.submit_idea(users["contributor"], challenge, title="SMED workshop",
                               description="Run a single-minute exchange of die workshop.")
    assert idea.status == Idea.Status.SUBMITTED
    return {"initiative": new_initiative(users["manager"], idea)}


def _initiative(w) -> dict:
    return {"pk": w.extra["pipeline_initiatives"]["initiative"].pk}


HTML_SAMPLES = {
    "pipeline:initiative_list": Probe("pipeline.browse"),
    "pipeline:initiative_detail": Probe("pipeline.browse", kwargs=_initiative,
                                        per_role={"partner": 404}),
}

API_SAMPLES: dict = {}
