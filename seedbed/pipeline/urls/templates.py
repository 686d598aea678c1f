"""Pages: workflow templates, their versions, stages, gate items and scorecard criteria."""

from django.urls import path

from seedbed.pipeline.views import templates as views

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<id:pk>/", views.template_detail, name="template_detail"),
    path("templates/<id:pk>/edit/", views.template_edit, name="template_edit"),
    path("templates/<id:pk>/versions/new/", views.template_version_start,
         name="template_version_start"),
    path("templates/versions/<id:pk>/", views.template_version, name="template_version"),
    path("templates/versions/<id:pk>/edit/", views.template_version_edit,
         name="template_version_edit"),
    path("templates/versions/<id:pk>/publish/", views.template_version_publish,
         name="template_version_publish"),
    path("templates/versions/<id:pk>/discard/", views.template_version_discard,
         name="template_version_discard"),
    path("templates/versions/<id:pk>/stages/new/", views.template_stage_create,
         name="template_stage_create"),
    path("templates/versions/<id:pk>/criteria/new/", views.template_criterion_create,
         name="template_criterion_create"),
    path("templates/stages/<id:pk>/edit/", views.template_stage_edit,
         name="template_stage_edit"),
    path("templates/stages/<id:pk>/remove/", views.template_stage_remove,
         name="template_stage_remove"),
    path("templates/stages/<id:pk>/up/", views.template_stage_move, {"direction": "up"},
         name="template_stage_up"),
    path("templates/stages/<id:pk>/down/", views.template_stage_move, {"direction": "down"},
         name="template_stage_down"),
    path("templates/stages/<id:pk>/items/new/", views.template_item_create,
         name="template_item_create"),
    path("templates/items/<id:pk>/edit/", views.template_item_edit, name="template_item_edit"),
    path("templates/items/<id:pk>/remove/", views.template_item_remove,
         name="template_item_remove"),
    path("templates/criteria/<id:pk>/edit/", views.template_criterion_edit,
         name="template_criterion_edit"),
    path("templates/criteria/<id:pk>/remove/", views.template_criterion_remove,
         name="template_criterion_remove"),
]
