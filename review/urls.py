from django.urls import path

from review import views

app_name = "review"
urlpatterns = [
    path("", views.board_current, name="index"),
    path("<int:year>/", views.board, name="board"),
    path("reports/<int:pk>/", views.review_report, name="report"),
]
