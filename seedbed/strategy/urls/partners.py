from django.urls import path

from seedbed.strategy.views import partners as views

urlpatterns = [
    path("partners/", views.partner_list, name="partners_list"),
    path("partners/new/", views.partner_create, name="partners_create"),
    path("partners/<id:pk>/", views.partner_detail, name="partners_detail"),
    path("partners/<id:pk>/edit/", views.partner_edit, name="partners_edit"),
    path("partners/<id:pk>/agreements/new/", views.agreement_create,
         name="partners_agreement_create"),
    path("partners/<id:pk>/accounts/", views.account_assign, name="partners_account_assign"),
]
