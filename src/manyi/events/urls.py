"""Events: the public pages (list, event, the registrant's own page, materials), the
organisers' pages under manage/, and the check-in page a registrant's QR code opens."""

from django.urls import path

from manyi.events.views import after, checkin, manage, public

app_name = "events"

urlpatterns = [
    path("", public.event_list, name="list"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("r/<str:token>/", public.registration_page, name="registration"),
    path("r/<str:token>/cancel/", public.registration_cancel, name="registration_cancel"),
    path("materials/<int:pk>/", public.material_download, name="material"),
    path("<int:pk>/checkin/<str:code>/", checkin.checkin_scan, name="checkin_scan"),
    path("manage/", manage.manage_list, name="manage"),
    path("manage/new/", manage.event_create, name="create"),
    path("manage/hosts/", manage.host_options, name="host_options"),
    path("manage/<int:pk>/", manage.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", manage.event_edit, name="edit"),
    path("manage/<int:pk>/publish/", manage.event_publish, name="publish"),
    path("manage/<int:pk>/cancel/", manage.event_cancel, name="cancel"),
    path("manage/<int:pk>/held/", manage.event_held, name="held"),
    path("manage/<int:pk>/export/", after.registrations_export, name="export"),
    path("manage/<int:pk>/materials/", after.material_add, name="material_add"),
    path(
        "manage/<int:pk>/materials/<int:material_pk>/remove/",
        after.material_remove,
        name="material_remove",
    ),
    path("manage/<int:pk>/shares/", after.share_add, name="share_add"),
    path("manage/<int:pk>/shares/<int:share_pk>/remove/", after.share_remove, name="share_remove"),
    path("manage/<int:pk>/checkin/", checkin.checkin_list, name="checkin"),
    path(
        "manage/<int:pk>/checkin/<int:registration_pk>/",
        checkin.checkin_row,
        name="checkin_row",
    ),
]
