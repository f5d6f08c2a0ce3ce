from django.urls import path

from manyi.supervision import views
from manyi.supervision.complaints import urls as complaints
from manyi.supervision.holders import urls as holders
from manyi.supervision.revisits import urls as revisits
from manyi.supervision.revocations import urls as revocations
from manyi.supervision.sanctions import urls as sanctions
from manyi.supervision.spotchecks import urls as spotchecks
from manyi.supervision.validity import urls as validity

app_name = "supervision"

PACKAGES = (spotchecks, holders, revisits, complaints, revocations, sanctions, validity)

urlpatterns = [
    path("", views.index, name="index"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
for _package in PACKAGES:
    urlpatterns += _package.urlpatterns
