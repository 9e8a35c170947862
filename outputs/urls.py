from django.urls import path

from outputs import views

app_name = "outputs"
urlpatterns = [
    path("", views.output_index, name="index"),
    path("reports/<int:pk>/pdf/", views.agency_report_pdf, name="agency_pdf"),
    path("<int:year>/", views.consolidated_page, name="consolidated"),
    path("<int:year>/pdf/", views.consolidated_pdf_download, name="consolidated_pdf"),
    path("<int:year>/xlsx/", views.consolidated_xlsx_download, name="consolidated_xlsx"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
]
