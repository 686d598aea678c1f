from django.urls import path

from seedbed.strategy.views import documents as views

urlpatterns: list = [
    path("documents/", views.document_list, name="documents_list"),
    path("documents/new/", views.document_create, name="documents_create"),
    path("documents/<id:pk>/", views.document_detail, name="documents_detail"),
    path("documents/<id:pk>/history/", views.document_history, name="documents_history"),
    path("documents/<id:pk>/drafts/", views.draft_start, name="documents_draft_start"),
    path("documents/versions/<id:pk>/", views.version_detail, name="documents_version"),
    path("documents/versions/<id:pk>/edit/", views.version_edit, name="documents_version_edit"),
    path("documents/versions/<id:pk>/submit/", views.version_submit,
         name="documents_version_submit"),
    path("documents/versions/<id:pk>/approve/", views.version_approve,
         name="documents_version_approve"),
    path("documents/versions/<id:pk>/return/", views.version_return,
         name="documents_version_return"),
    path("documents/versions/<id:pk>/diff/", views.version_diff, name="documents_version_diff"),
    path("documents/versions/<id:pk>/acknowledge/", views.version_acknowledge,
         name="documents_version_acknowledge"),
    path("awareness/", views.awareness, name="documents_awareness"),
]
