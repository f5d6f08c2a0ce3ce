"""The customer list (附件3) pages, appended to the applications app's URLs (/applications/)."""

from django.urls import path

from manyi.applications.customers import views as customer_views

urlpatterns = [
    path("<int:pk>/customers/", customer_views.customers, name="customers"),
    path("<int:pk>/customers/upload/", customer_views.upload, name="customer_upload"),
    path("<int:pk>/customers/status/", customer_views.status, name="customer_status"),
    path("<int:pk>/customers/download/", customer_views.download, name="customer_download"),
    path("<int:pk>/customers/template/", customer_views.template, name="customer_template"),
    path("shared-contacts/", customer_views.shared_contacts, name="shared_contacts"),
]
