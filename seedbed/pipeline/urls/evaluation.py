"""Pages: evaluation."""

from django.urls import path

from seedbed.pipeline.views import evaluation

urlpatterns = [
    path("initiatives/<id:pk>/evaluation/", evaluation.initiative_evaluation,
         name="initiative_evaluation"),
    path("initiatives/<id:pk>/evaluation/assign/", evaluation.initiative_assign,
         name="initiative_assign"),
    path("ideas/<id:pk>/evaluation/", evaluation.idea_evaluation, name="idea_evaluation"),
    path("ideas/<id:pk>/evaluation/assign/", evaluation.idea_assign, name="idea_assign"),
    path("evaluations/mine/", evaluation.my_evaluations, name="my_evaluations"),
    path("evaluations/<id:pk>/submit/", evaluation.evaluation_submit,
         name="evaluation_submit"),
    path("evaluations/<id:pk>/conflict/", evaluation.evaluation_conflict,
         name="evaluation_conflict"),
    path("evaluations/<id:pk>/withdraw/", evaluation.evaluation_withdraw,
         name="evaluation_withdraw"),
    path("compare/", evaluation.compare, name="compare"),
    path("challenges/<id:pk>/scorecard/", evaluation.challenge_scorecard,
         name="challenge_scorecard"),
    path("challenges/<id:pk>/scorecard/criteria/new/", evaluation.criterion_create,
         name="scorecard_criterion_create"),
    path("scorecard-criteria/<id:pk>/edit/", evaluation.criterion_edit,
         name="scorecard_criterion_edit"),
    path("scorecard-criteria/<id:pk>/remove/", evaluation.criterion_remove,
         name="scorecard_criterion_remove"),
]
