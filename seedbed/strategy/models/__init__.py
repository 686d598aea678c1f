"""Strategy and leadership records (ISO 56001 clauses 4, 5, 6.1–6.3, 6.5, 6.6, 7.1–7.4).

One module per area; each is owned by the code in the same-named modules of actions/,
selectors/, views/, api/ and forms/.
"""

from seedbed.strategy.models.context import ContextIssue, InterestedParty  # noqa: F401
from seedbed.strategy.models.documents import (  # noqa: F401
    Acknowledgement,
    ControlledDocument,
    DocumentVersion,
)
from seedbed.strategy.models.focus import FocusArea  # noqa: F401
from seedbed.strategy.models.objectives import (  # noqa: F401
    ActionItem,
    Objective,
    ObjectiveUpdate,
    RaciAssignment,
)
from seedbed.strategy.models.partners import PartnerAgreement, PartnerOrganisation  # noqa: F401
from seedbed.strategy.models.resources import (  # noqa: F401
    BudgetEnvelope,
    RequiredCompetency,
    TimeAllowance,
    TrainingRecord,
)
