"""Staff pages for students, mounted at /students/."""

from django.urls import path

from steward.access import views

urlpatterns = [
    path("", views.my_students, name="my-students"),
    path("break-glass/", views.break_glass, name="break-glass"),
    path("<int:pk>/", views.student_record, name="student-record"),
]
