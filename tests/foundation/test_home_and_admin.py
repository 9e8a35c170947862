"""The home page shows each role what it can do next; the admin manages every model."""

import pytest
from django.contrib import admin
from django.urls import reverse

from reports.years import reporting_year_close


def test_agency_staff_see_their_own_report_and_the_deadline(world, client_for):
    page = client_for(world.staff_a).get("/").content.decode()
    assert "Sở Công Thương" in page
    assert "Sở Tài chính" not in page
    assert "Hạn nộp" in page and "còn 7 ngày" in page
    assert reverse("reports:detail", args=[world.report_a.pk]) in page
    assert reverse("reports:detail", args=[world.report_b.pk]) not in page


def test_the_banner_says_how_late_once_the_deadline_has_passed(world, client_for):
    import datetime

    world.year.deadline = world.year.deadline - datetime.timedelta(days=10)
    world.year.save(update_fields=["deadline"])
    page = client_for(world.staff_a).get("/").content.decode()
    assert "Đã quá hạn 3 ngày" in page


def test_reviewers_see_the_reporting_rate_and_the_review_board(world, client_for):
    page = client_for(world.reviewer).get("/").content.decode()
    assert "Tình hình nộp báo cáo" in page
    assert reverse("review:board", args=[world.year.year]) in page
    assert reverse("reports:index") not in page


def test_leaders_see_the_rate_and_the_dashboards_but_no_review_board(world, client_for):
    page = client_for(world.leader).get("/").content.decode()
    assert reverse("dashboards:index") in page
    assert reverse("review:board", args=[world.year.year]) not in page


def test_a_user_without_a_role_is_told_to_ask_the_administrator(world, client_for, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="pw")
    page = client_for(nobody).get("/").content.decode()
    assert "chưa được phân vai trò" in page


def test_home_page_query_count_does_not_grow_with_the_number_of_reports(world, client_for, django_assert_max_num_queries):
    client = client_for(world.reviewer)
    with django_assert_max_num_queries(12):
        client.get("/")
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    with django_assert_max_num_queries(12):
        client.get("/")


def test_pages_are_in_english_when_the_user_chooses_english(world, client_for):
    client = client_for(world.staff_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Your agency&#x27;s report" in page or "Your agency's report" in page


def test_pages_are_in_vietnamese_whatever_language_the_browser_asks_for(world, client_for):
    client = client_for(world.staff_a)
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "Báo cáo của đơn vị" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_english_chosen_with_the_switch_stays_until_switched_back(world, client_for):
    client = client_for(world.staff_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/", headers={"accept-language": "vi"})["Content-Language"] == "en"
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert client.get("/", headers={"accept-language": "en"})["Content-Language"] == "vi"


ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label not in {"auth"}]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_the_admin_lists_every_model(world, client_for, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client_for(world.admin).get(url).status_code == 200


def test_the_admin_is_in_vietnamese(world, client_for):
    page = client_for(world.admin).get(reverse("admin:index")).content.decode()
    assert "Cổng báo cáo tăng trưởng xanh – quản trị" in page


def test_agency_users_cannot_open_the_admin(world, client_for):
    response = client_for(world.staff_a).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_opening_next_year_early_keeps_agencies_on_the_report_still_due(world, client_for):
    import datetime

    from reports.years import reporting_year_create

    next_year = reporting_year_create(
        directive=world.letter,
        year=world.year.year + 1,
        deadline=world.year.deadline + datetime.timedelta(days=365),
        actor=world.admin,
    )
    page = client_for(world.staff_a).get("/").content.decode()
    # Both open reports are listed, this year's first, each with its own deadline.
    assert page.index(f"Báo cáo năm {world.year.year}") < page.index(f"Báo cáo năm {next_year.year}")
    assert "còn 7 ngày" in page
    assert reverse("reports:edit", args=[world.report_a.pk]) in page
    # Reviewers still land on the year whose reports are due.
    response = client_for(world.reviewer).get(reverse("review:index"))
    assert response["Location"].endswith(f"/review/{world.year.year}/")


def test_a_closed_year_shows_no_countdown(world, client_for):
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    page = client_for(world.reviewer).get("/").content.decode()
    assert f"kỳ báo cáo năm {world.year.year} đã khóa sổ" in page
    assert "còn 7 ngày" not in page


def test_the_admin_changes_a_year_through_its_service_and_the_change_is_audited(world, client_for):
    import datetime

    from audit.models import Action, AuditEntry

    year = world.year
    url = reverse("admin:assignments_reportingyear_change", args=[year.pk])
    new_deadline = year.deadline + datetime.timedelta(days=3)
    response = client_for(world.admin).post(
        url,
        {
            "directive": year.directive_id,
            "year": year.year,
            "period_start": year.period_start.strftime("%d/%m/%Y"),
            "period_end": year.period_end.strftime("%d/%m/%Y"),
            "deadline": new_deadline.strftime("%d/%m/%Y"),
            "consolidating_agency": year.consolidating_agency_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year.refresh_from_db()
    assert year.deadline == new_deadline
    entry = AuditEntry.objects.get(action=Action.YEAR_CHANGED, reporting_year=year)
    assert entry.actor == world.admin and new_deadline.strftime("%Y") in entry.message


def test_the_admin_cannot_delete_a_reporting_year(world, client_for):
    url = reverse("admin:assignments_reportingyear_delete", args=[world.year.pk])
    assert client_for(world.admin).get(url).status_code == 403
