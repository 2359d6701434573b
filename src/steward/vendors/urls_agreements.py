"""Agreement routes: the privacy office's pages (/officer/agreements/...) and the vendor
contact's (/vendor/...)."""

from django.urls import URLPattern, URLResolver, path

from steward.vendors import views_agreements as office
from steward.vendors import views_vendor_portal as portal

A = "officer/agreements/<int:pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("officer/agreements/", office.agreement_list, name="vendors-agreement-list"),
    path("officer/agreements/new/", office.agreement_create, name="vendors-agreement-create"),
    path(A, office.agreement_detail, name="vendors-agreement-detail"),
    path(f"{A}edit/", office.agreement_edit, name="vendors-agreement-edit"),
    path(f"{A}upload/", office.agreement_upload, name="vendors-agreement-upload"),
    path(f"{A}signed.pdf", office.agreement_document, name="vendors-agreement-document"),
    path(f"{A}activate/", office.agreement_activate, name="vendors-agreement-activate"),
    path(f"{A}terminate/", office.agreement_terminate, name="vendors-agreement-terminate"),
    path(f"{A}certificate/", office.agreement_certificate, name="vendors-agreement-certificate"),
    path(
        f"{A}certificate.pdf",
        office.agreement_certificate_document,
        name="vendors-agreement-certificate-document",
    ),
    path(f"{A}renew/", office.agreement_renew, name="vendors-agreement-renew"),
    path(f"{A}adopt/", office.agreement_adopt, name="vendors-agreement-adopt"),
    path("vendor/", portal.portal_home, name="vendors-portal-home"),
    path("vendor/agreements/<int:pk>/", portal.portal_agreement, name="vendors-portal-agreement"),
    path(
        "vendor/agreements/<int:pk>/signed.pdf",
        portal.portal_document,
        name="vendors-portal-document",
    ),
    path(
        "vendor/agreements/<int:pk>/certificate/",
        portal.portal_certificate,
        name="vendors-portal-certificate",
    ),
]
