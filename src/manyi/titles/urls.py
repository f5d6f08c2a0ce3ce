from manyi.titles.certificates import urls as certificates
from manyi.titles.decisions import urls as decisions
from manyi.titles.notices import urls as notices
from manyi.titles.pack import urls as pack

app_name = "titles"

urlpatterns = [
    *decisions.urlpatterns,
    *notices.urlpatterns,
    *certificates.urlpatterns,
    *pack.urlpatterns,
]
