from django.urls import path

from seedbed.strategy.views import glance as views

urlpatterns: list = [
    path("", views.glance, name="glance"),
]
