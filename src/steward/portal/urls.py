"""The family portal, mounted at /portal/."""

from django.urls import path

from steward.portal import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("activate/", views.activate, name="portal-activate"),
    path("children/<int:pk>/", views.child_record, name="portal-child"),
    path("children/<int:pk>/log/", views.child_log, name="portal-child-log"),
]
