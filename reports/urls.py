from django.urls import path

from reports import views, views_offline

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/submit/", views.report_submit_view, name="submit"),
    path("<int:pk>/copy-previous/", views.report_copy, name="copy_previous"),
    path("<int:pk>/workbook/", views_offline.offline_download, name="offline_download"),
    path("<int:pk>/workbook/upload/", views_offline.offline_upload, name="offline_upload"),
    path("<int:pk>/workbook/preview/", views_offline.offline_preview, name="offline_preview"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/compare/", views.version_compare, name="compare"),
    path("<int:pk>/history/", views.report_history, name="history"),
]
