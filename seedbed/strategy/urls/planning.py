from django.urls import path

from seedbed.strategy.views import planning as views

urlpatterns = [
    path("objectives/", views.objective_list, name="planning_objective_list"),
    path("objectives/new/", views.objective_create, name="planning_objective_create"),
    path("objectives/<id:pk>/", views.objective_detail, name="planning_objective_detail"),
    path("objectives/<id:pk>/edit/", views.objective_edit, name="planning_objective_edit"),
    path("objectives/<id:pk>/progress/", views.objective_progress,
         name="planning_objective_progress"),
    path("raci/", views.raci, name="planning_raci"),
    path("raci/add/", views.raci_add, name="planning_raci_add"),
    path("raci/<id:pk>/remove/", views.raci_remove, name="planning_raci_remove"),
    path("action-items/", views.action_item_list, name="planning_action_item_list"),
    path("action-items/new/", views.action_item_create, name="planning_action_item_create"),
    path("action-items/<id:pk>/", views.action_item_detail, name="planning_action_item_detail"),
    path("action-items/<id:pk>/edit/", views.action_item_edit, name="planning_action_item_edit"),
    path("action-items/<id:pk>/status/", views.action_item_status,
         name="planning_action_item_status"),
]
