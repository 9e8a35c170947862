from django.urls import path

from review import views

app_name = "review"
urlpatterns = [
    path("", views.board_current, name="index"),
    path("<int:year>/", views.board, name="board"),
    path("<int:year>/csv/", views.board_csv, name="board_csv"),
    path("<int:year>/accept/", views.accept_selected, name="accept_selected"),
    path("<int:year>/remind/", views.remind_all, name="remind_all"),
    path("reports/<int:pk>/", views.review_report, name="report"),
    path("reports/<int:pk>/remind/", views.remind, name="remind"),
    path("reports/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("years/", views.years, name="years"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:pk>/close/", views.year_close, name="year_close"),
    path("years/<int:pk>/archive/", views.year_archive, name="year_archive"),
]
