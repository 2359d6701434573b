"""Amendment pages: the family's under /portal/, the privacy office's under
/officer/amendments/, and family documents in the record under /records/."""

from django.urls import path

from steward.amendments import views_files, views_office, views_portal

_CHILD = "portal/children/<int:pk>/"
_REQUEST = _CHILD + "amendments/<int:request_id>/"
_CASE = "officer/amendments/<int:request_id>/"

urlpatterns = [
    path(_CHILD + "amendments/", views_portal.amendments, name="amendments-portal-list"),
    path(_CHILD + "amendments/new/", views_portal.new_request, name="amendments-portal-new"),
    path(_CHILD + "record/add/", views_portal.add_material, name="amendments-portal-add"),
    path(_REQUEST, views_portal.detail, name="amendments-portal-detail"),
    path(_REQUEST + "hearing/", views_portal.ask_hearing, name="amendments-portal-hearing"),
    path(_REQUEST + "withdraw/", views_portal.withdraw, name="amendments-portal-withdraw"),
    path(
        _REQUEST + "items/<int:item_id>/statement/",
        views_portal.place_statement,
        name="amendments-portal-statement",
    ),
    path(
        _REQUEST + "letters/<int:letter_id>.pdf",
        views_portal.letter,
        name="amendments-portal-letter",
    ),
    path("officer/amendments/", views_office.queue, name="amendments-office-queue"),
    path(_CASE, views_office.case_detail, name="amendments-office-case"),
    path(
        _CASE + "items/<int:item_id>/decide/",
        views_office.decide,
        name="amendments-office-decide",
    ),
    path(_CASE + "hearing/schedule/", views_office.schedule, name="amendments-office-schedule"),
    path(
        _CASE + "hearing/decision/",
        views_office.hearing_decision,
        name="amendments-office-hearing-decision",
    ),
    path(
        _CASE + "letters/<int:letter_id>.pdf", views_office.letter, name="amendments-office-letter"
    ),
    path(
        _CASE + "attestations/<int:schedule_id>/",
        views_office.attestation,
        name="amendments-office-attestation",
    ),
    path(
        "records/additions/<int:addition_id>/document/",
        views_files.addition_document,
        name="amendments-addition-document",
    ),
]
