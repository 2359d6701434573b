"""Media release pages for staff, mounted at /media/."""

from django.urls import path

from steward.media import views

urlpatterns = [
    path("can-i-post/", views.can_i_post, name="media-can-i-post"),
    path("sections/<int:section_id>/", views.section_roster, name="media-section-roster"),
]
