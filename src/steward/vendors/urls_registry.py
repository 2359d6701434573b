"""Registry, vetting and app-request routes (R73–R76), mounted at the site root:

- /officer/vendors/...: the privacy office's registry, apps, vettings and request queue;
- /apps/...: staff see the apps they may use and request new ones;
- /vendor/welcome/...: a vendor contact's one-time link to choose a password.
"""

from django.urls import URLPattern, URLResolver, path

from steward.vendors import views_apps, views_registry, views_vetting

officer = "officer/vendors/"

urlpatterns: list[URLPattern | URLResolver] = [
    # Vendors and what belongs to them.
    path(officer, views_registry.vendor_list, name="vendors-registry"),
    path(f"{officer}new/", views_registry.vendor_create, name="vendors-registry-vendor-create"),
    path(f"{officer}<int:pk>/", views_registry.vendor_detail, name="vendors-registry-vendor"),
    path(
        f"{officer}<int:pk>/edit/", views_registry.vendor_edit, name="vendors-registry-vendor-edit"
    ),
    path(
        f"{officer}<int:pk>/contacts/new/",
        views_registry.contact_add,
        name="vendors-registry-contact-add",
    ),
    path(
        f"{officer}contacts/<int:pk>/edit/",
        views_registry.contact_edit,
        name="vendors-registry-contact-edit",
    ),
    path(
        f"{officer}contacts/<int:pk>/remove/",
        views_registry.contact_remove,
        name="vendors-registry-contact-remove",
    ),
    path(
        f"{officer}contacts/<int:pk>/login/",
        views_registry.contact_login,
        name="vendors-registry-contact-login",
    ),
    path(
        f"{officer}contacts/<int:pk>/revoke/",
        views_registry.contact_revoke,
        name="vendors-registry-contact-revoke",
    ),
    path(
        f"{officer}<int:pk>/subprocessors/new/",
        views_registry.subprocessor_add,
        name="vendors-registry-subprocessor-add",
    ),
    path(
        f"{officer}subprocessors/<int:pk>/edit/",
        views_registry.subprocessor_edit,
        name="vendors-registry-subprocessor-edit",
    ),
    path(
        f"{officer}subprocessors/<int:pk>/remove/",
        views_registry.subprocessor_remove,
        name="vendors-registry-subprocessor-remove",
    ),
    path(
        f"{officer}<int:pk>/storage/new/",
        views_registry.storage_add,
        name="vendors-registry-storage-add",
    ),
    path(
        f"{officer}storage/<int:pk>/edit/",
        views_registry.storage_edit,
        name="vendors-registry-storage-edit",
    ),
    path(
        f"{officer}storage/<int:pk>/remove/",
        views_registry.storage_remove,
        name="vendors-registry-storage-remove",
    ),
    # Apps (products) and their vetting.
    path(
        f"{officer}<int:pk>/apps/new/",
        views_vetting.product_create,
        name="vendors-registry-product-create",
    ),
    path(f"{officer}apps/<int:pk>/", views_vetting.product_detail, name="vendors-registry-product"),
    path(
        f"{officer}apps/<int:pk>/edit/",
        views_vetting.product_edit,
        name="vendors-registry-product-edit",
    ),
    path(
        f"{officer}apps/<int:pk>/terms/",
        views_vetting.product_terms,
        name="vendors-registry-product-terms",
    ),
    path(
        f"{officer}apps/<int:pk>/status/",
        views_vetting.product_status,
        name="vendors-registry-product-status",
    ),
    path(f"{officer}apps/<int:pk>/vet/", views_vetting.product_vet, name="vendors-vetting-start"),
    path(f"{officer}vettings/<int:pk>/", views_vetting.vetting_detail, name="vendors-vetting"),
    path(
        f"{officer}vettings/<int:pk>/rate/", views_vetting.vetting_rate, name="vendors-vetting-rate"
    ),
    path(
        f"{officer}vettings/<int:pk>/decide/",
        views_vetting.vetting_decide,
        name="vendors-vetting-decide",
    ),
    path(
        f"{officer}vettings/<int:pk>/evidence/<int:answer>/",
        views_vetting.vetting_evidence,
        name="vendors-vetting-evidence",
    ),
    # Staff app requests, and the privacy office's queue of them.
    path(f"{officer}requests/", views_apps.queue, name="vendors-apps-queue"),
    path(
        f"{officer}requests/<int:pk>/review/",
        views_apps.queue_review,
        name="vendors-apps-queue-review",
    ),
    path(
        f"{officer}requests/<int:pk>/decline/",
        views_apps.queue_decline,
        name="vendors-apps-queue-decline",
    ),
    path("apps/", views_apps.apps, name="vendors-apps"),
    path("apps/request/", views_apps.request_new, name="vendors-apps-request-new"),
    path("apps/requests/<int:pk>/", views_apps.request_detail, name="vendors-apps-request"),
    path(
        "apps/requests/<int:pk>/withdraw/",
        views_apps.request_withdraw,
        name="vendors-apps-request-withdraw",
    ),
    # A vendor contact's one-time link (signed out).
    path(
        "vendor/welcome/<str:uidb64>/<str:token>/",
        views_registry.welcome,
        name="vendors-registry-welcome",
    ),
]
