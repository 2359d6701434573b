"""URL routes. Pages are server-rendered; JSON APIs (later issues) use django-ninja."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("steward.accounts.urls")),
]
