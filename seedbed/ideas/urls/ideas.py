from django.urls import path

from seedbed.ideas.views import ideas

urlpatterns = [
    path("challenges/<id:pk>/ideas/new/", ideas.idea_create, name="idea_create"),
    path("ideas/new/", ideas.idea_create_focus, name="idea_create_focus"),
    path("ideas/invitations/", ideas.invitations, name="invitations"),
    path("ideas/<id:pk>/", ideas.idea_detail, name="idea_detail"),
    path("ideas/<id:pk>/edit/", ideas.idea_edit, name="idea_edit"),
    path("ideas/<id:pk>/submit/", ideas.idea_submit, name="idea_submit"),
    path("ideas/<id:pk>/history/", ideas.idea_history, name="idea_history"),
    path("ideas/<id:pk>/coauthors/", ideas.coauthor_invite, name="coauthor_invite"),
    path("ideas/<id:pk>/attachments/", ideas.attachment_upload, name="attachment_upload"),
    path("ideas/<id:pk>/status/", ideas.idea_status, name="idea_status"),
    path("coauthor-invitations/<id:pk>/accept/", ideas.coauthor_respond, {"answer": "accept"},
         name="coauthor_accept"),
    path("coauthor-invitations/<id:pk>/decline/", ideas.coauthor_respond,
         {"answer": "decline"}, name="coauthor_decline"),
    path("attachments/<id:pk>/", ideas.attachment_download, name="attachment_download"),
    path("attachments/<id:pk>/remove/", ideas.attachment_remove, name="attachment_remove"),
]
