from django.urls import path

from outputs import views

app_name = "outputs"
urlpatterns = [
    path("", views.output_index, name="index"),
]
