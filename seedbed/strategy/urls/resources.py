from django.urls import path

from seedbed.strategy.views import resources as views

urlpatterns = [
    path("budgets/", views.budget_list, name="resources_budget_list"),
    path("budgets/new/", views.budget_create, name="resources_budget_create"),
    path("budgets/<id:pk>/edit/", views.budget_edit, name="resources_budget_edit"),
    path("time-allowances/", views.time_list, name="resources_time_list"),
    path("time-allowances/new/", views.time_create, name="resources_time_create"),
    path("time-allowances/<id:pk>/edit/", views.time_edit, name="resources_time_edit"),
    path("competence/", views.competence_matrix, name="resources_competence_matrix"),
    path("competence/required/new/", views.required_create, name="resources_required_create"),
    path("competence/required/<id:pk>/edit/", views.required_edit,
         name="resources_required_edit"),
    path("training/", views.training_list, name="resources_training_list"),
    path("training/new/", views.training_create, name="resources_training_create"),
    path("training/mine/", views.training_mine, name="resources_training_mine"),
]
