"""The review page of one report: answers as submitted, ratings, comments, return with a reason, acceptance, diff."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from assignments.models import ReportingYear
from audit.models import Action, AuditEntry
from notifications.models import Notification
from reports.errors import ReportError
from reports.models import IndicatorValue, Report, ReviewComment, TaskReport
from reports.services import ensure_agency_can_edit
from tests.review.conftest import revise, submit

pytestmark = pytest.mark.django_db


def review_url(report):
    return reverse("review:report", kwargs={"pk": report.pk})


def form_data(report, *, decision="save", ratings=None, comments=None, comment="", reason="", version=None):
    report.refresh_from_db()
    data = {
        "version": report.version if version is None else version,
        "decision": decision,
        "comment": comment,
        "reason": reason,
    }
    for answer in TaskReport.objects.filter(report=report).select_related("task"):
        data[f"t{answer.pk}-rating"] = (ratings or {}).get(answer.task.code, answer.review_rating)
        data[f"t{answer.pk}-comment"] = (comments or {}).get(answer.task.code, "")
    return data


def answer(report, code):
    return TaskReport.objects.get(report=report, task__code=code)


def test_review_page_shows_the_submitted_answers_indicator_values_and_evidence_names(world, reviewer_client):
    report = world.report_a
    value = IndicatorValue.objects.filter(task_report__report=report).select_related("indicator").first()
    value.value = Decimal("1234567.5")
    value.save()
    report = submit(report, world.head_a, results="Thu hút 3 dự án công nghiệp xanh.")

    response = reviewer_client.get(review_url(report))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thu hút 3 dự án công nghiệp xanh." in page
    assert value.indicator.name in page
    assert "1.234.567,5" in page  # Vietnamese separators
    assert "Đã hoàn thành" in page or "Completed" in page
    for code in TaskReport.objects.filter(report=report).values_list("task__code", flat=True):
        assert f'id="task-{code}"' in page


def test_review_page_shows_the_submitted_version_never_the_agencys_later_draft(world, reviewer_client):
    report = submit(world.report_a, world.head_a, results="Nội dung đã nộp.")
    reviewer_client.post(review_url(report), form_data(report, decision="return", reason="Bổ sung số liệu."))
    revise(report, world.staff_a, code="3.1", results="Bản nháp đang sửa, chưa nộp.")

    page = reviewer_client.get(review_url(report)).content.decode()

    assert "Nội dung đã nộp." in page
    assert "Bản nháp đang sửa, chưa nộp." not in page


def test_review_page_of_a_report_never_submitted_says_so_and_offers_a_reminder(world, reviewer_client):
    response = reviewer_client.get(review_url(world.report_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="review-form"' not in page
    assert reverse("review:remind", kwargs={"pk": world.report_a.pk}) in page


def test_reviewer_rates_tasks_and_comments_and_both_are_recorded(world, reviewer_client):
    report = submit(world.report_a, world.head_a)
    version_before = report.version

    response = reviewer_client.post(
        review_url(report),
        form_data(
            report,
            ratings={"3.1": "done", "9.1": "behind"},
            comments={"3.1": "Kết quả rõ ràng, có số liệu."},
            comment="Báo cáo đầy đủ các nhiệm vụ.",
        ),
    )

    assert response.status_code == 302
    assert answer(report, "3.1").review_rating == TaskReport.Rating.DONE
    assert answer(report, "9.1").review_rating == TaskReport.Rating.BEHIND
    assert answer(report, "9.2").review_rating == ""
    task_comment = ReviewComment.objects.get(report=report, task__code="3.1")
    assert task_comment.body == "Kết quả rõ ràng, có số liệu."
    assert task_comment.kind == ReviewComment.Kind.COMMENT
    assert task_comment.version == report.versions.get(number=1)
    assert ReviewComment.objects.filter(
        report=report, task=None, body="Báo cáo đầy đủ các nhiệm vụ."
    ).exists()
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.version == version_before + 1
    rated = AuditEntry.objects.get(report=report, action=Action.TASK_RATED)
    assert rated.actor == world.reviewer
    assert {c["field"] for c in rated.changes} == {"3.1", "9.1"}
    commented = AuditEntry.objects.get(report=report, action=Action.REVIEW_COMMENTED)
    assert len(commented.changes) == 2


def test_saving_without_any_change_records_nothing(world, reviewer_client):
    report = submit(world.report_a, world.head_a)
    entries = AuditEntry.objects.count()

    reviewer_client.post(review_url(report), form_data(report))

    assert AuditEntry.objects.count() == entries


def test_return_without_a_reason_is_refused_next_to_the_field_and_keeps_what_was_typed(
    world, reviewer_client
):
    report = submit(world.report_a, world.head_a)

    response = reviewer_client.post(
        review_url(report),
        form_data(
            report, decision="return", comments={"3.1": "Thiếu số liệu dự án."}, ratings={"3.1": "behind"}
        ),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="reason-error"' in page
    assert "Thiếu số liệu dự án." in page  # the task comment typed is still in the form
    checked = f'value="behind" class="btn-check" id="id_t{answer(report, "3.1").pk}-rating_3" checked'
    assert checked in page  # and so is the rating
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert not ReviewComment.objects.filter(report=report).exists()
    assert answer(report, "3.1").review_rating == ""


def test_return_with_a_reason_sends_reason_and_task_comments_to_the_agency(
    world, reviewer_client, django_capture_on_commit_callbacks
):
    report = submit(world.report_a, world.head_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            review_url(report),
            form_data(
                report,
                decision="return",
                reason="Đề nghị bổ sung số liệu cụ thể.",
                comments={"3.1": "Nêu rõ số dự án đã thu hút."},
                ratings={"3.1": "behind"},
            ),
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    reason = ReviewComment.objects.get(report=report, kind=ReviewComment.Kind.RETURN_REASON)
    assert reason.body == "Đề nghị bổ sung số liệu cụ thể."
    assert reason.version.number == 1
    comment = ReviewComment.objects.get(report=report, kind=ReviewComment.Kind.COMMENT)
    assert (comment.task.code, comment.body) == ("3.1", "Nêu rõ số dự án đã thu hút.")
    commented = AuditEntry.objects.get(report=report, action=Action.REVIEW_COMMENTED)
    assert commented.changes == [{"field": "3.1", "old": "", "new": "Nêu rõ số dự án đã thu hút."}]
    returned = AuditEntry.objects.get(report=report, action=Action.REPORT_RETURNED)
    assert returned.message == "Đề nghị bổ sung số liệu cụ thể."
    assert (returned.from_state, returned.to_state) == ("submitted", "returned")
    assert set(
        Notification.objects.filter(body__contains="Đề nghị bổ sung").values_list(
            "recipient__username", flat=True
        )
    ) == {
        "staff_a",
        "head_a",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["head_a@example.org", "staff_a@example.org"]
    # The agency can edit again.
    assert ensure_agency_can_edit(report, world.staff_a)


def test_accepting_freezes_the_report(world, reviewer_client, django_capture_on_commit_callbacks):
    report = submit(world.report_a, world.head_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            review_url(report),
            form_data(report, decision="accept", comment="Đạt yêu cầu.", ratings={"3.1": "done"}),
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    assert report.accepted_by == world.reviewer
    assert answer(report, "3.1").review_rating == "done"
    assert ReviewComment.objects.get(report=report, kind=ReviewComment.Kind.ACCEPTANCE).body == "Đạt yêu cầu."
    assert AuditEntry.objects.filter(
        report=report, action=Action.REPORT_ACCEPTED, actor=world.reviewer
    ).exists()
    assert Notification.objects.filter(
        recipient=world.head_a, title__contains=str(report.reporting_year.year)
    ).exists()
    with pytest.raises(ReportError):
        ensure_agency_can_edit(report, world.staff_a)
    # Nothing more can be written on it, by the agency or by a reviewer.
    page = reviewer_client.get(review_url(report)).content.decode()
    assert 'name="decision"' not in page
    refused = reviewer_client.post(review_url(report), form_data(report, ratings={"3.1": "not_done"}))
    assert refused.status_code == 409
    assert answer(report, "3.1").review_rating == "done"


def test_resubmitted_report_shows_what_changed_since_the_previous_submission(world, reviewer_client):
    report = submit(world.report_a, world.head_a, results="Thu hút 2 dự án.")
    reviewer_client.post(review_url(report), form_data(report, decision="return", reason="Bổ sung số liệu."))
    revise(report, world.staff_a, code="3.1", results="Thu hút 5 dự án công nghiệp xanh.")
    report = submit(report, world.head_a)

    page = reviewer_client.get(review_url(report)).content.decode()

    assert "<del>2</del>" in page
    assert "<ins>5</ins>" in page
    assert 'href="#task-3.1"' in page
    assert "Bổ sung số liệu." in page  # the earlier reason stays in view


def test_a_second_reviewer_working_from_a_stale_page_is_refused_and_shown_what_changed(
    world, client_for, django_user_model
):
    report = submit(world.report_a, world.head_a)
    other = django_user_model.objects.create_user(
        "reviewer2", password="pw", first_name="Lê Thu", last_name="Hà"
    )
    other.groups.add(*world.reviewer.groups.all())
    stale = form_data(report)  # both open the page now
    client_for(other).post(review_url(report), form_data(report, ratings={"3.1": "done"}))

    response = client_for(world.reviewer).post(
        review_url(report),
        {**stale, f"t{answer(report, '3.1').pk}-rating": "not_done", "comment": "Ý kiến của tôi"},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Lê Thu Hà" in page
    assert "Ý kiến của tôi" in page
    assert answer(report, "3.1").review_rating == "done"


def test_reports_of_an_archived_year_can_be_read_but_not_reviewed(world, reviewer_client):
    report = submit(world.report_a, world.head_a)
    ReportingYear.objects.filter(pk=world.year.pk).update(state=ReportingYear.State.ARCHIVED)

    assert 'name="decision"' not in reviewer_client.get(review_url(report)).content.decode()
    response = reviewer_client.post(review_url(report), form_data(report, decision="accept"))

    assert response.status_code == 409
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED


def test_review_page_queries_stay_flat_as_versions_and_comments_grow(
    world, reviewer_client, django_assert_max_num_queries
):
    report = submit(world.report_a, world.head_a)
    with django_assert_max_num_queries(30):
        assert reviewer_client.get(review_url(report)).status_code == 200

    for round_ in range(4):
        reviewer_client.post(
            review_url(report),
            form_data(
                report,
                decision="return",
                reason=f"Lần {round_}",
                comments={code: f"Nhận xét {round_}" for code in ("3.1", "3.2", "9.1", "9.2")},
            ),
        )
        revise(report, world.staff_a, code="3.1", results=f"Bản sửa {round_}")
        report = submit(report, world.head_a)
    assert report.versions.count() == 5
    with django_assert_max_num_queries(30):
        assert reviewer_client.get(review_url(report)).status_code == 200


def test_a_return_refused_for_want_of_a_reason_shows_the_page_as_before_with_everything_typed(
    world, reviewer_client
):
    report = submit(world.report_a, world.head_a)
    reviewer_client.post(
        review_url(report), form_data(report, ratings={"3.1": "done"}, comments={"3.2": "Nhận xét cũ."})
    )
    before = reviewer_client.get(review_url(report))

    response = reviewer_client.post(
        review_url(report),
        form_data(
            report,
            decision="return",
            ratings={"9.1": "not_done"},
            comments={"9.1": "Chưa có số liệu."},
            comment="Nhận xét chung.",
            reason=" ",
        ),
    )

    assert response.status_code == 400
    page = response.content.decode()
    # What the page showed before: the saved rating's badge, the earlier comment, every task and its form.
    badge = "rating-badge rating-done"
    assert page.count(badge) == before.content.decode().count(badge) == 1
    assert "Nhận xét cũ." in page
    codes = [t.code for t in before.context["review"].tasks]
    assert [t.code for t in response.context["review"].tasks] == codes
    assert all(t.form is not None for t in response.context["review"].tasks)
    # What was typed: ratings chosen (saved and new), comments, and the reason field with its error.
    pk = {code: answer(report, code).pk for code in ("3.1", "9.1")}
    assert f'value="done" class="btn-check" id="id_t{pk["3.1"]}-rating_1" checked' in page
    assert f'value="not_done" class="btn-check" id="id_t{pk["9.1"]}-rating_4" checked' in page
    assert "Chưa có số liệu." in page and "Nhận xét chung." in page
    assert 'id="reason-error"' in page
    assert answer(report, "9.1").review_rating == ""


def test_after_a_stale_refusal_sending_the_kept_text_again_saves_it(world, client_for, django_user_model):
    report = submit(world.report_a, world.head_a)
    other = django_user_model.objects.create_user("reviewer2", password="pw")
    other.groups.add(*world.reviewer.groups.all())
    stale = form_data(report)
    client_for(other).post(review_url(report), form_data(report, ratings={"3.1": "done"}))
    mine = {**stale, f"t{answer(report, '9.1').pk}-rating": "behind", "comment": "Ý kiến của tôi"}
    client = client_for(world.reviewer)

    refused = client.post(review_url(report), mine)

    assert refused.status_code == 409
    report.refresh_from_db()
    assert f'name="version" value="{report.version}"' in refused.content.decode()
    resent = client.post(review_url(report), {**mine, "version": report.version})
    assert resent.status_code == 302
    assert answer(report, "9.1").review_rating == "behind"
    assert ReviewComment.objects.filter(report=report, body="Ý kiến của tôi").exists()


def test_a_return_refused_because_the_report_was_accepted_meanwhile_keeps_the_typed_text_in_view(
    world, client_for, django_user_model
):
    report = submit(world.report_a, world.head_a)
    mine = form_data(report, decision="return", reason="Thiếu phụ lục số liệu.", comments={"3.1": "Bổ sung."})
    other = django_user_model.objects.create_user("reviewer2", password="pw")
    other.groups.add(*world.reviewer.groups.all())
    client_for(other).post(review_url(report), form_data(report, decision="accept"))

    response = client_for(world.reviewer).post(review_url(report), mine)

    assert response.status_code == 409
    page = response.content.decode()
    unsaved = page[page.index('id="unsaved-text"') :]
    assert "Thiếu phụ lục số liệu." in unsaved
    assert "Bổ sung." in unsaved
    assert 'name="decision"' not in page
