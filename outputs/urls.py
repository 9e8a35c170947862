from django.urls import path

from outputs import views, views_word

app_name = "outputs"
urlpatterns = [
    path("", views.output_index, name="index"),
    path("reports/<int:pk>/pdf/", views.agency_report_pdf, name="agency_pdf"),
    path("reports/<int:pk>/docx/", views_word.agency_report_docx, name="agency_docx"),
    path("<int:year>/", views.consolidated_page, name="consolidated"),
    path("<int:year>/pdf/", views.consolidated_pdf_download, name="consolidated_pdf"),
    path("<int:year>/xlsx/", views.consolidated_xlsx_download, name="consolidated_xlsx"),
    path("<int:year>/docx/", views_word.consolidated_docx_download, name="consolidated_docx"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
]
