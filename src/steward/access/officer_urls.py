"""Privacy-office access pages, mounted at /officer/."""

from django.urls import path

from steward.access import officer_views as views

urlpatterns = [
    path("break-glass/", views.break_glass_queue, name="officer-break-glass"),
    path("break-glass/<int:pk>/", views.break_glass_review, name="officer-break-glass-review"),
    path("access/", views.access_lookup, name="officer-access-lookup"),
    path("access/<int:pk>/", views.who_can_see, name="officer-who-can-see"),
    path("access-policy/", views.policy, name="officer-access-policy"),
]
