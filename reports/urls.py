from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:pk>/", views.report_detail, name="detail"),
]
