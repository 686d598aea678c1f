from seedbed.pipeline.models.evaluation import Criterion, Evaluation, Score, Scorecard
from seedbed.pipeline.models.gates import GateDecision, GateItemState
from seedbed.pipeline.models.initiatives import Initiative, InitiativeIdea, TeamMember
from seedbed.pipeline.models.portfolio import PortfolioCriterion
from seedbed.pipeline.models.resources import ResourceRequest, Spend
from seedbed.pipeline.models.validation import Assumption, Experiment, Risk
from seedbed.pipeline.models.value import Feedback, PostLaunchReview, SolutionIndicator
from seedbed.pipeline.models.workflows import GateItem, Stage, TemplateVersion, WorkflowTemplate

__all__ = [
    "Assumption", "Criterion", "Evaluation", "Experiment", "Feedback", "GateDecision", "GateItem",
    "GateItemState", "Initiative", "InitiativeIdea", "PortfolioCriterion", "PostLaunchReview",
    "ResourceRequest", "Risk", "Score", "Scorecard", "SolutionIndicator", "Spend", "Stage",
    "TeamMember", "TemplateVersion", "WorkflowTemplate",
]
