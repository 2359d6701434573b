"""Media release pages for staff, mounted at /media/."""

from django.urls import path

from steward.media import views

urlpatterns = [
    path("can-i-post/", views.can_i_post, name="media-can-i-post"),
    path("sections/<int:section_id>/", views.section_roster, name="media-section-roster"),
    path("published/", views.published, name="media-published"),
    path("published/<int:item_id>/take-down/", views.take_down, name="media-take-down"),
    path("events/", views.events, name="media-events"),
    path("events/<int:event_id>/", views.event_detail, name="media-event"),
]
