"""The edit page as the agency uses it: saving, bad input, stale forms, files, the two lists, submitting."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from reports.models import (
    CommunicationActivity,
    Evidence,
    IndicatorValue,
    IssuedDocument,
    Report,
    ReportVersion,
    TaskReport,
)
from reports.services import report_reopen, report_return, report_submit
from reports.years import reporting_year_close
from tests.conftest import fill_report
from tests.reports.conftest import exe_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def answer(report, code) -> TaskReport:
    return report.task_reports.get(task__code=code)


def indicator_3_1(report) -> IndicatorValue:
    return IndicatorValue.objects.get(task_report__report=report, indicator__name="Số dự án công nghiệp xanh thu hút được")


def test_the_edit_page_lists_every_assigned_task_with_the_letters_text(world, client_for):
    response = client_for(world.staff_a).get(reverse("reports:edit", kwargs={"pk": world.report_a.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    for tr in world.report_a.task_reports.select_related("task"):
        assert f"Nhiệm vụ {tr.task.code}" in html
        assert tr.task.text.split("\n")[0][:60] in html
    assert [s.code for s in response.context["sections"]] == ["3.1", "3.2", "9.1", "9.2", "9.3", "9.4"]
    assert "Số dự án công nghiệp xanh thu hút được" in html and "dự án" in html
    assert "Lưu nháp" in html
    assert "Nộp báo cáo…" not in html  # staff do not submit
    assert "Lãnh đạo đơn vị là người nộp báo cáo." in html


def test_the_head_sees_the_submit_button_and_who_will_sign(world, client_for):
    html = client_for(world.head_a).get(reverse("reports:edit", kwargs={"pk": world.report_a.pk})).content.decode()
    assert "Nộp báo cáo…" in html
    assert world.head_a.get_full_name() in html and "Phó Giám đốc" in html and "ký thay Giám đốc" in html


def test_a_half_filled_draft_is_saved_with_vietnamese_numbers(world, client_for, edit_page):
    client = client_for(world.staff_a)
    page = edit_page(client, world.report_a)
    page.set_task("3.1", status="in_progress", results="Đã thu hút 2 dự án điện mặt trời mái nhà.")
    page.set_indicator(indicator_3_1(world.report_a), "1.234,5", note="Lũy kế")
    response = page.post()
    assert response.status_code == 302 and response["Location"].endswith(reverse("reports:edit", kwargs={"pk": world.report_a.pk}))
    a31 = answer(world.report_a, "3.1")
    assert a31.status == "in_progress" and a31.results == "Đã thu hút 2 dự án điện mặt trời mái nhà."
    assert answer(world.report_a, "3.2").results == ""
    assert indicator_3_1(world.report_a).value == Decimal("1234.5")
    world.report_a.refresh_from_db()
    assert world.report_a.state == Report.State.DRAFT
    follow = client.get(response["Location"])
    assert "Đã lưu nháp lúc" in follow.content.decode()
    assert 'value="1.234,5"' in follow.content.decode()


def test_saving_without_changes_says_so_and_records_nothing(world, client_for, edit_page):
    client = client_for(world.staff_a)
    response = edit_page(client, world.report_a).post()
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(report=world.report_a, action=Action.REPORT_SAVED).exists()
    assert "Không có gì để lưu" in client.get(response["Location"]).content.decode()


def test_bad_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(world, client_for, edit_page):
    page = edit_page(client_for(world.staff_a), world.report_a)
    page.set_task("3.1", results="Nội dung dài đã nhập, không được mất.")
    page.set_indicator(indicator_3_1(world.report_a), "khoảng 3")
    page.add_row("doc", number_symbol="15/KH-SCT", issued_on="31/02/2026", issuer="Sở Công Thương", title="")
    page.add_row("act", description="Hội nghị quán triệt", held_on="01/04/2026", participants="-5")
    response = page.post()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa lưu được: một số ô cần sửa lại." in html
    assert "Nhập một số, ví dụ 1.500 hoặc 12,5." in html
    assert "Nhập trích yếu nội dung văn bản." in html
    assert "Nhập một ngày hợp lệ." in html
    assert "Giá trị không được là số âm." in html
    assert "Nội dung dài đã nhập, không được mất." in html
    assert 'value="khoảng 3"' in html and 'value="15/KH-SCT"' in html and "Hội nghị quán triệt" in html
    assert answer(world.report_a, "3.1").results == ""
    assert not IssuedDocument.objects.exists()
    world.report_a.refresh_from_db()
    assert world.report_a.version == 1


def test_documents_and_activities_rows_are_added_and_removed(world, client_for, edit_page):
    client = client_for(world.staff_a)
    page = edit_page(client, world.report_a)
    page.add_row("doc", number_symbol="15/KH-SCT", issued_on="02/03/2026", issuer="Sở Công Thương", title="Kế hoạch triển khai Chỉ thị 44")
    page.add_row("act", description="Hội nghị quán triệt Chỉ thị", held_on="01/04/2026", participants="1.200")
    assert page.post().status_code == 302
    document = IssuedDocument.objects.get(report=world.report_a)
    assert document.issued_on == datetime.date(2026, 3, 2)
    assert CommunicationActivity.objects.get(report=world.report_a).participants == 1200
    page = edit_page(client, world.report_a)
    assert page.data["doc-0-number_symbol"] == "15/KH-SCT" and page.data["doc-0-issued_on"] == "02/03/2026"
    assert page.data["act-0-participants"] == "1.200"
    page.data["doc-0-DELETE"] = "on"
    assert page.post().status_code == 302
    assert not IssuedDocument.objects.filter(report=world.report_a).exists()


def test_a_new_document_row_starts_with_the_agency_as_issuer(world, client_for):
    html = client_for(world.staff_a).get(reverse("reports:edit", kwargs={"pk": world.report_a.pk})).content.decode()
    assert 'name="doc-0-issuer"' in html and 'value="Sở Công Thương"' in html


def test_the_hidden_new_row_names_each_agency_in_the_users_language(world, client_for):
    """The row the page copies for "Add a document" is drawn once per agency and language and kept."""

    def template_of(user, language):
        client = client_for(user)
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        html = client.get(reverse("reports:edit", kwargs={"pk": user.memberships.first().agency.reports.first().pk}))
        html = html.content.decode()
        start = html.index("<template data-formset-template>", html.index('id="documents"'))
        return html[start : html.index("</template>", start)]

    for _ in range(2):  # drawn, then kept
        a_vi, b_vi = template_of(world.staff_a, "vi"), template_of(world.staff_b, "vi")
        assert 'name="doc-__prefix__-issuer"' in a_vi and f'value="{world.agency_a.name}"' in a_vi
        assert f'value="{world.agency_b.name}"' in b_vi and "Số, ký hiệu" in b_vi
        assert "Number and symbol" in template_of(world.staff_a, "en")



def test_an_empty_list_shows_the_same_blank_row_the_page_would_draw(world, client_for):
    """A list with nothing stored shows one blank row, drawn once per list, agency and language and then kept; it
    is exactly the row a list with that one new row draws, and rows stored later are drawn as they are."""
    from django.utils import translation

    from portal.jinja import environment
    from reports.views import _edit_forms

    fields = [("number_symbol", "c"), ("issued_on", "c"), ("issuer", "c"), ("title", "c")]
    row = environment().get_template("reports/list_macros.html").module.row
    for language in ("vi", "en"):
        with translation.override(language):
            forms = _edit_forms(world.report_a)
            kept = forms.rows(forms.documents, fields)
            assert forms.rows(_edit_forms(world.report_a).documents, fields) is kept
            assert kept == row(forms.documents.forms[0], fields)  # what the list draws row by row
            assert len(forms.documents.forms) == 1 and 'name="doc-0-issuer"' in kept
            assert f'value="{world.agency_a.name}"' in kept
    IssuedDocument.objects.create(report=world.report_a, position=1, number_symbol="7/KH-SCT", issuer="Sở", title="Kế hoạch")
    html = client_for(world.staff_a).get(reverse("reports:edit", kwargs={"pk": world.report_a.pk})).content.decode()
    rows = html[html.index('id="documents"') : html.index("<template data-formset-template>", html.index('id="documents"'))]
    assert rows.count("data-formset-row>") == 1 and 'value="7/KH-SCT"' in rows

# --- Two people at once ----------------------------------------------------------------------------------


def test_a_stale_save_is_refused_showing_the_other_persons_changes(world, client_for, edit_page):
    lan = edit_page(client_for(world.staff_a), world.report_a)
    minh = edit_page(client_for(world.head_a), world.report_a)
    lan.set_task("3.1", results="Lan viết kết quả 3.1.")
    assert lan.post().status_code == 302

    minh.set_task("3.2", results="Minh viết kết quả 3.2.")
    response = minh.post()
    assert response.status_code == 409
    html = response.content.decode()
    assert world.staff_a.get_full_name() in html
    assert "chưa được lưu" in html
    assert "Nhiệm vụ 3.1 · Kết quả đạt được" in html and "Lan viết kết quả 3.1." in html
    assert "Minh viết kết quả 3.2." in html  # his own text is still in the form
    assert answer(world.report_a, "3.2").results == ""  # nothing of his was saved

    # The page now carries Lan's 3.1 (he had not touched it) and the current version: saving again keeps both.
    world.report_a.refresh_from_db()
    minh.html = html
    from tests.reports.conftest import form_fields

    minh.data = form_fields(html)
    assert minh.data["version"] == str(world.report_a.version)
    assert minh.data[f"{minh.answer_prefix('3.1')}-results"] == "Lan viết kết quả 3.1."
    assert minh.post().status_code == 302
    assert answer(world.report_a, "3.1").results == "Lan viết kết quả 3.1."
    assert answer(world.report_a, "3.2").results == "Minh viết kết quả 3.2."


def test_when_both_change_the_same_field_the_users_text_is_kept_and_theirs_shown(world, client_for, edit_page):
    lan = edit_page(client_for(world.staff_a), world.report_a)
    minh = edit_page(client_for(world.head_a), world.report_a)
    lan.set_task("3.1", results="Bản của Lan.")
    lan.post()
    minh.set_task("3.1", results="Bản của Minh.")
    response = minh.post()
    assert response.status_code == 409
    section = next(s for s in response.context["sections"] if s.code == "3.1")
    assert section.conflicts == [("Kết quả đạt được", "Bản của Lan.")]
    assert section.form["results"].value() == "Bản của Minh."
    assert answer(world.report_a, "3.1").results == "Bản của Lan."


def test_a_stale_list_keeps_rows_the_other_person_added(world, client_for, edit_page):
    lan = edit_page(client_for(world.staff_a), world.report_a)
    minh = edit_page(client_for(world.head_a), world.report_a)
    lan.add_row("doc", number_symbol="1/KH-SCT", issued_on="", issuer="Sở Công Thương", title="Của Lan")
    lan.post()
    minh.add_row("doc", number_symbol="2/CV-SCT", issued_on="", issuer="Sở Công Thương", title="Của Minh")
    response = minh.post()
    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác cũng đã sửa danh sách này" in html
    assert 'value="1/KH-SCT"' in html and 'value="2/CV-SCT"' in html
    from tests.reports.conftest import form_fields

    minh.data = form_fields(html)
    assert minh.post().status_code == 302
    assert sorted(IssuedDocument.objects.values_list("number_symbol", flat=True)) == ["1/KH-SCT", "2/CV-SCT"]


# --- Evidence through the page ---------------------------------------------------------------------------


def test_a_pdf_is_attached_from_the_page_and_listed(world, client_for, edit_page):
    client = client_for(world.staff_a)
    page = edit_page(client, world.report_a)
    prefix = page.answer_prefix("3.1")
    response = page.post(files={f"{prefix}-files": upload("Biên bản hội nghị.pdf", pdf_bytes())})
    assert response.status_code == 302 and response["Location"].endswith("#task-3-1")
    evidence = Evidence.objects.get(task_report__report=world.report_a)
    assert evidence.original_name == "Biên bản hội nghị.pdf"
    html = client.get(reverse("reports:edit", kwargs={"pk": world.report_a.pk})).content.decode()
    assert "Biên bản hội nghị.pdf" in html
    assert reverse("reports:evidence_download", kwargs={"pk": world.report_a.pk, "evidence_pk": evidence.pk}) in html


def test_a_renamed_executable_is_refused_next_to_its_field_and_the_text_is_kept(world, client_for, edit_page):
    page = edit_page(client_for(world.staff_a), world.report_a)
    prefix = page.answer_prefix("3.1")
    page.set_task("3.1", results="Kết quả đã nhập trước khi đính kèm.")
    response = page.post(files={f"{prefix}-files": upload("bao-cao.pdf", exe_bytes())})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nội dung tệp “bao-cao.pdf” không phải là tệp PDF, DOCX, XLSX, JPG, PNG" in html
    assert "Kết quả đã nhập trước khi đính kèm." in html
    assert not Evidence.all_objects.exists()
    assert answer(world.report_a, "3.1").results == ""


def test_a_file_chosen_on_a_page_refused_for_bad_input_is_named_to_choose_again(world, client_for, edit_page):
    page = edit_page(client_for(world.staff_a), world.report_a)
    page.set_indicator(indicator_3_1(world.report_a), "khoảng 3")
    response = page.post(files={f"{page.answer_prefix('9.2')}-files": upload("Biên bản tập huấn.pdf", pdf_bytes())})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Các tệp sau chưa được đính kèm vì trang chưa được lưu; hãy chọn lại: Biên bản tập huấn.pdf" in html
    assert 'Các tệp đã chọn cho <a href="#task-9-2">nhiệm vụ 9.2</a> chưa được đính kèm' in html
    assert not Evidence.all_objects.exists()


def test_a_file_refused_for_itself_is_not_also_asked_to_be_chosen_again(world, client_for, edit_page):
    page = edit_page(client_for(world.staff_a), world.report_a)
    response = page.post(files={f"{page.answer_prefix('3.1')}-files": upload("bao-cao.pdf", exe_bytes())})
    assert response.status_code == 200
    assert "hãy chọn lại" not in response.content.decode()


def test_a_file_over_the_limit_is_refused(world, client_for, edit_page, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    page = edit_page(client_for(world.staff_a), world.report_a)
    response = page.post(files={f"{page.answer_prefix('9.2')}-files": upload("lon.pdf", pdf_bytes())})
    assert response.status_code == 200
    assert "vượt quá giới hạn 2,0\xa0KB" in response.content.decode()
    assert not Evidence.all_objects.exists()


def test_the_remove_button_removes_the_file_and_saves_the_rest(world, client_for, edit_page):
    client = client_for(world.staff_a)
    page = edit_page(client, world.report_a)
    page.post(files={f"{page.answer_prefix('3.1')}-files": upload("nhap.pdf", pdf_bytes())})
    evidence = Evidence.objects.get()
    page = edit_page(client, world.report_a)
    page.set_task("3.2", results="Lưu cùng lúc gỡ tệp.")
    response = page.post(remove_evidence=str(evidence.pk))
    assert response.status_code == 302
    assert not Evidence.all_objects.exists()
    assert answer(world.report_a, "3.2").results == "Lưu cùng lúc gỡ tệp."
    assert AuditEntry.objects.filter(report=world.report_a, action=Action.EVIDENCE_REMOVED).exists()


# --- Submitting ------------------------------------------------------------------------------------------


def submit_url(report):
    return reverse("reports:submit", kwargs={"pk": report.pk})


def test_the_head_submits_a_complete_report_on_time(world, client_for, edit_page):
    fill_report(world.report_a)
    client = client_for(world.head_a)
    page = edit_page(client, world.report_a)
    page.set_task("3.1", results="Bổ sung trước khi nộp.")
    response = page.post(url=submit_url(world.report_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", kwargs={"pk": world.report_a.pk})
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.state == Report.State.SUBMITTED
    assert report.days_late == 0
    assert report.submitted_by == world.head_a and report.signatory_name == world.head_a.get_full_name()
    assert report.signatory_title == "Phó Giám đốc" and report.signatory_is_deputy
    assert ReportVersion.objects.get(report=report).snapshot["tasks"][0]["results"] == "Bổ sung trước khi nộp."
    html = client.get(response["Location"]).content.decode()
    assert "đúng hạn" in html and "Đã nộp" in html
    assert "Đã nộp báo cáo năm" in html
    # Read-only for the agency from now on.
    edit = client.get(reverse("reports:edit", kwargs={"pk": report.pk}))
    assert edit.status_code == 302 and edit["Location"] == reverse("reports:detail", kwargs={"pk": report.pk})
    page.set_task("3.1", results="Sửa sau khi nộp")
    refused = page.post()
    assert refused.status_code == 302
    assert answer(report, "3.1").results == "Bổ sung trước khi nộp."


def test_a_late_submission_is_marked_with_the_days_late(world, client_for, edit_page):
    world.year.deadline = timezone.localdate() - datetime.timedelta(days=3)
    world.year.save(update_fields=["deadline"])
    fill_report(world.report_a)
    client = client_for(world.head_a)
    response = edit_page(client, world.report_a).post(url=submit_url(world.report_a))
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.days_late == 3
    assert "quá hạn 3 ngày" in client.get(response["Location"]).content.decode()


def test_staff_cannot_submit(world, client_for, edit_page):
    fill_report(world.report_a)
    page = edit_page(client_for(world.staff_a), world.report_a)
    assert page.post(url=submit_url(world.report_a)).status_code == 403
    assert Report.objects.get(pk=world.report_a.pk).state == Report.State.DRAFT


def test_an_incomplete_report_is_not_submitted_and_the_missing_tasks_are_marked(world, client_for, edit_page):
    page = edit_page(client_for(world.head_a), world.report_a)
    page.set_task("3.1", status="completed", results="Đã xong 3.1.")
    response = page.post(url=submit_url(world.report_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhiệm vụ 3.2, 9.1, 9.2, 9.3, 9.4 chưa có tình trạng thực hiện hoặc kết quả" in html
    assert html.count("Chọn tình trạng thực hiện và nhập kết quả đạt được trước khi nộp.") == 5
    assert response.context["incomplete"] == {"3.2", "9.1", "9.2", "9.3", "9.4"}
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.state == Report.State.DRAFT
    assert answer(report, "3.1").results == "Đã xong 3.1."  # what was typed is saved as a draft


def language_menu_next(html: str) -> str:
    return re.search(r'<input name="next" type="hidden" value="([^"]*)">', html).group(1)


def test_the_language_menu_on_a_refused_submission_returns_to_the_edit_page(world, client_for, edit_page):
    client = client_for(world.head_a)
    page = edit_page(client, world.report_a)
    edit_url = reverse("reports:edit", kwargs={"pk": world.report_a.pk})
    response = client.post(submit_url(world.report_a), page.data, HTTP_REFERER=f"http://testserver{edit_url}")
    assert response.status_code == 200
    back = language_menu_next(response.content.decode())
    assert back == edit_url
    switched = client.post(reverse("set_language"), {"language": "en", "next": back}, follow=True)
    assert switched.status_code == 200 and "Save draft" in switched.content.decode()


def test_the_language_menu_never_returns_to_an_address_that_only_takes_forms(world, client_for, edit_page):
    client = client_for(world.head_a)
    page = edit_page(client, world.report_a)
    response = client.post(submit_url(world.report_a), page.data, HTTP_REFERER="http://elsewhere.example/x")
    assert language_menu_next(response.content.decode()) == "/"


# --- Closed years ----------------------------------------------------------------------------------------


def test_a_closed_year_refuses_the_page_and_a_direct_post(world, client_for, edit_page):
    client = client_for(world.head_a)
    fill_report(world.report_a)
    page = edit_page(client, world.report_a)
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    edit_url = reverse("reports:edit", kwargs={"pk": world.report_a.pk})
    response = client.get(edit_url)
    assert response.status_code == 302
    page.set_task("3.1", results="Viết sau khi khóa năm")
    assert page.post().status_code == 302
    assert page.post(url=submit_url(world.report_a)).status_code == 302
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.state == Report.State.DRAFT and answer(report, "3.1").results == "Đã triển khai."
    assert "đã khóa" in client.get(reverse("reports:detail", kwargs={"pk": report.pk})).content.decode()


def test_a_reopened_report_can_be_edited_and_submitted_in_a_closed_year(world, client_for, edit_page):
    fill_report(world.report_a)
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    report_reopen(report=world.report_a, actor=world.reviewer, reason="Đơn vị xin nộp muộn.")
    client = client_for(world.head_a)
    page = edit_page(client, world.report_a)
    page.set_task("3.1", results="Nộp sau khi được mở lại")
    assert page.post(url=submit_url(world.report_a)).status_code == 302
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.state == Report.State.SUBMITTED and not report.reopened


# --- Returned reports ------------------------------------------------------------------------------------


def test_a_returned_report_shows_the_reason_and_the_comment_beside_its_task(world, client_for, edit_page):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    task_92 = answer(world.report_a, "9.2").task
    report_return(
        report=world.report_a,
        actor=world.reviewer,
        reason="Bổ sung số liệu hoạt động truyền thông.",
        task_comments={task_92: "Nêu rõ số hội nghị và số người tham dự."},
    )
    client = client_for(world.staff_a)
    page = edit_page(client, world.report_a)
    html = page.html
    assert "Bị trả lại" in html
    assert "Lý do trả lại" in html and "Bổ sung số liệu hoạt động truyền thông." in html
    section_start = html.index('id="task-9-2"')
    next_section = html.index('id="task-9-3"')
    assert section_start < html.index("Nêu rõ số hội nghị và số người tham dự.") < next_section
    page.set_task("9.2", results="Tổ chức 3 hội nghị, 450 người tham dự.")
    assert page.post().status_code == 302
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.state == Report.State.RETURNED  # editing keeps it returned until it is submitted again
    head_page = edit_page(client_for(world.head_a), report)
    assert head_page.post(url=submit_url(report)).status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert list(report.versions.values_list("number", flat=True)) == [1, 2]


# --- Copy from last year ---------------------------------------------------------------------------------


def test_the_copy_button_fills_an_empty_report(world, client_for):
    from reports.years import reporting_year_create

    previous_year = reporting_year_create(
        directive=world.letter, year=world.year.year - 1, deadline=timezone.localdate() - datetime.timedelta(days=360)
    )
    previous = Report.objects.get(reporting_year=previous_year, agency=world.agency_a)
    fill_report(previous, results="Kết quả năm trước.")
    report_submit(report=previous, actor=world.head_a)
    client = client_for(world.staff_a)
    edit_url = reverse("reports:edit", kwargs={"pk": world.report_a.pk})
    html = client.get(edit_url).content.decode()
    assert "Sao chép từ năm trước" in html and f"báo cáo năm {previous_year.year}" in html
    response = client.post(reverse("reports:copy_previous", kwargs={"pk": world.report_a.pk}), {"version": "1"})
    assert response.status_code == 302 and response["Location"] == edit_url
    assert answer(world.report_a, "9.4").results == "Kết quả năm trước."
    after = client.get(edit_url).content.decode()
    assert "Đã sao chép tình trạng, kết quả, khó khăn và đề xuất của các nhiệm vụ 3.1, 3.2" in after
    assert f'action="/reports/{world.report_a.pk}/copy-previous/"' not in after  # offered only while empty
    again = client.post(reverse("reports:copy_previous", kwargs={"pk": world.report_a.pk}), {"version": "2"})
    assert "ghi đè" in client.get(again["Location"]).content.decode()


def test_the_deadline_banner_shows_the_date_and_the_days_left(world, client_for):
    html = client_for(world.staff_a).get(reverse("reports:edit", kwargs={"pk": world.report_a.pk})).content.decode()
    assert "deadline-banner" in html
    assert world.year.deadline.strftime("%d/%m/%Y") in html
    banner = html[html.index("deadline-banner") :][:600]
    assert " 7 " in banner


def test_when_submission_fails_after_the_draft_was_saved_the_form_shows_the_saved_version(
    world, client_for, edit_page, monkeypatch
):
    from reports import views
    from reports.errors import ReportError

    def refuse(**kwargs):
        raise ReportError("Từ chối để kiểm tra.")

    monkeypatch.setattr(views, "report_submit", refuse)
    page = edit_page(client_for(world.head_a), world.report_a)
    page.set_task("3.1", results="Đã lưu dù chưa nộp được.")
    response = page.post(url=submit_url(world.report_a))
    assert response.status_code == 200
    assert "Từ chối để kiểm tra." in response.content.decode()
    world.report_a.refresh_from_db()
    assert answer(world.report_a, "3.1").results == "Đã lưu dù chưa nộp được."
    assert response.context["forms"].version_form["version"].value() == world.report_a.version


def test_the_edit_page_works_in_english_with_english_number_separators(world, client_for, edit_page):
    from django.conf import settings

    client = client_for(world.staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = edit_page(client, world.report_a)
    assert "Save draft" in page.html and "Task 3.1" in page.html
    page.set_indicator(indicator_3_1(world.report_a), "1,234.5")
    assert page.post().status_code == 302
    assert indicator_3_1(world.report_a).value == Decimal("1234.5")
