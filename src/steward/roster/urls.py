"""The privacy office's guardian restriction pages (R17), mounted at /officer/restrictions/."""

from django.urls import path

from steward.roster import views_restrictions as views

urlpatterns = [
    path("", views.restriction_list, name="roster-restrictions"),
    path("links/<int:pk>/", views.link_detail, name="roster-restriction-link"),
    path("links/<int:pk>/upload/", views.link_upload, name="roster-restriction-upload"),
    path("<int:pk>/withdraw/", views.document_withdraw, name="roster-restriction-withdraw"),
    path("<int:pk>/document/", views.document_download, name="roster-restriction-document"),
]
