from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("csv/<slug:dataset>/", views.download_csv, name="csv"),
    path("xlsx/<slug:dataset>/", views.download_xlsx, name="xlsx"),
]
