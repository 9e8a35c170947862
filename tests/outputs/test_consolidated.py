"""The consolidated provincial report: compiled from the accepted reports, with the reviewers' own text."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assignments.models import Agency, IndicatorTarget, ReportingYear
from assignments.roles import REVIEWERS, ensure_role_groups
from audit.models import Action, AuditEntry
from outputs.documents import consolidated_document
from outputs.models import ConsolidatedReport
from outputs.services import consolidated_pdf_now, consolidated_report_save
from reports.errors import ReportError
from reports.models import Report
from reports.services import report_return
from tests.outputs.conftest import (
    accept,
    assert_in_order,
    embedded_fonts,
    pdftotext,
    submit,
    words_with_boxes,
)

INDICATOR_DOCUMENTS_ISSUED = 8  # "Số văn bản triển khai Chỉ thị số 44/CT-TTg được ban hành", task 9.1, summed


def agency(short_name):
    return Agency.objects.get(short_name=short_name)


def report_of(world, short_name) -> Report:
    return Report.objects.get(reporting_year=world.year, agency__short_name=short_name)


@pytest.fixture
def province(world):
    """Three accepted reports (one late), one awaiting review, one returned; the others never submitted."""
    accept(world.report_a, world.reviewer, results="Kết quả của Sở Công Thương.", value=12)
    accept(
        world.report_b,
        world.reviewer,
        results="Kết quả của Sở Tài chính.",
        value=3,
        difficulties="Thiếu người.",
    )
    accept(report_of(world, "SXD"), world.reviewer, days_late=3, value=5)
    submit(report_of(world, "HVL"), results="Chưa được xem xét.", value=100)
    returned = submit(report_of(world, "TPHY"), value=7)
    report_return(report=returned, actor=world.reviewer, reason="Bổ sung.")
    IndicatorTarget.objects.create(indicator_id=INDICATOR_DOCUMENTS_ISSUED, year=world.year.year, value=40)
    return world


def save_text(world, **values):
    fields = {
        "assessment": "Các cơ quan, đơn vị đã quán triệt và triển khai nghiêm túc.",
        "difficulties": "Nguồn lực còn hạn chế.",
        "proposals": "Đề nghị UBND tỉnh bố trí kinh phí.",
        "recipients": "UBND tỉnh;\nBộ Tài chính;\nLưu: VT, TH.",
        "signatory_name": "Phạm Văn Khánh",
        "signatory_title": "Phó Giám đốc",
        "signatory_is_deputy": True,
        **values,
    }
    current = ConsolidatedReport.objects.filter(reporting_year=world.year).first()
    return consolidated_report_save(
        reporting_year=world.year,
        actor=world.reviewer,
        expected_version=current.version if current else 0,
        **fields,
    )


# --- What the document says -------------------------------------------------------------------------------


def test_the_body_is_compiled_from_the_accepted_reports_only(province):
    document = consolidated_document(province.year)
    task = next(t for g in document.groups for t in g.tasks if t.code == "9.1")
    assert [e.agency for e in task.entries] == ["Sở Tài chính", "Sở Công Thương", "Sở Xây dựng"]
    assert task.entries[0].difficulties == ["Thiếu người."]
    assert "Chưa được xem xét." not in str(document)
    # The returned report of UBND thành phố Hưng Yên is not handed in until it is submitted again.
    assert document.figures == {
        "expected": 29,
        "submitted": 4,
        "on_time": 3,
        "late": 1,
        "not_submitted": 25,
        "awaiting_review": 1,
        "returned": 1,
        "accepted": 3,
        "drafting": document.figures["drafting"],
        "not_started": 25 - 1 - document.figures["drafting"],
    }


def test_it_names_the_agencies_missing_late_and_not_yet_accepted(province):
    lines = " ".join(consolidated_document(province.year).status_lines)
    assert "Các cơ quan, đơn vị chưa nộp báo cáo: Văn phòng Ủy ban nhân dân tỉnh, Sở Nội vụ" in lines
    assert "Ủy ban nhân dân thành phố Hưng Yên (Bị trả lại)," in lines
    assert "Các cơ quan, đơn vị gửi báo cáo quá hạn: Sở Xây dựng (quá hạn 3 ngày)." in lines
    assert (
        "Các báo cáo chưa được chấp nhận nên chưa tổng hợp: Ủy ban nhân dân huyện Văn Lâm (Đã nộp)." in lines
    )


def test_indicator_totals_add_up_accepted_values_against_the_target(province):
    totals = {t.name: t for t in consolidated_document(province.year).totals}
    documents = totals["Số văn bản triển khai Chỉ thị số 44/CT-TTg được ban hành"]
    assert (documents.reporting, documents.total, documents.target, documents.achieved) == (
        3,
        "20",
        "40",
        "50%",
    )
    industry = totals["Số dự án công nghiệp xanh thu hút được"]
    assert (industry.reporting, industry.total, industry.target) == (1, "12", "")


def test_the_consolidated_pdf_has_the_decree_30_blocks_in_order(province):
    save_text(province, number="125", issued_on=timezone.localdate())
    output = consolidated_pdf_now(reporting_year=province.year, actor=province.reviewer)
    content = output.file.read()
    year = province.year.year
    today = timezone.localdate()
    lines = [line.strip() for line in pdftotext(content, last=1, layout=True).splitlines() if line.strip()]
    assert lines[0].startswith("UBND TỈNH HƯNG YÊN") and lines[0].endswith(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert lines[1].startswith("SỞ KẾ HOẠCH VÀ ĐẦU TƯ") and lines[1].endswith("Độc lập - Tự do - Hạnh phúc")
    month = today.month if today.month > 2 else f"{today.month:02d}"
    assert lines[2].startswith("Số: 125/BC-SKHĐT")
    assert lines[2].endswith(f"Hưng Yên, ngày {today:%d} tháng {month} năm {today.year}")
    text = " ".join(pdftotext(content).split())
    assert_in_order(
        text,
        "BÁO CÁO",
        f"Tổng hợp kết quả thực hiện Chỉ thị số 44/CT-TTg ngày 09/12/2024 của Thủ tướng Chính phủ trên địa bàn tỉnh Hưng Yên năm {year}",
        "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "Các cơ quan, đơn vị chưa nộp báo cáo:",
        "Sở Xây dựng (quá hạn 3 ngày)",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO",
        "Nhóm nhiệm vụ 1: Sở Kế hoạch và Đầu tư",
        "Nhóm nhiệm vụ 9:",
        "Sở Tài chính",
        "Kết quả của Sở Tài chính.",
        "III. ĐÁNH GIÁ CHUNG",
        "Các cơ quan, đơn vị đã quán triệt và triển khai nghiêm túc.",
        "IV. KHÓ KHĂN, VƯỚNG MẮC",
        "Nguồn lực còn hạn chế.",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị UBND tỉnh bố trí kinh phí.",
        "Sở Kế hoạch và Đầu tư kính báo cáo UBND tỉnh, Bộ Tài chính./.",
        "Nơi nhận:",
        "- UBND tỉnh;",
        "- Bộ Tài chính;",
        "- Lưu: VT, TH.",
        "PHỤ LỤC I",
        "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        f"(Kèm theo Báo cáo số 125/BC-SKHĐT ngày {today:%d/%m/%Y} của Sở Kế hoạch và Đầu tư)",
        "Sở Xây dựng",
        "quá hạn 3 ngày",
        "PHỤ LỤC II",
        "TỔNG HỢP CHỈ TIÊU SO VỚI KẾ HOẠCH NĂM",
        "9.1 Số văn bản triển khai Chỉ thị số 44/",
        "văn bản 3 20 40 50%",
    )
    assert_in_order(text, "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phạm Văn Khánh", "PHỤ LỤC I")
    # A4, the bundled fonts only, numbers from page 2.
    reader = PdfReader(io.BytesIO(content))
    assert all(
        round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in reader.pages
    )
    assert {name.split("+", 1)[-1].split("-")[0] for name in embedded_fonts(content)} == {
        "LiberationSerifBundled"
    }
    assert not [w for w in words_with_boxes(content, 1) if w[0] == "1" and w[2] < 57]
    assert [w for w in words_with_boxes(content, 2) if w[0] == "2" and w[2] < 57]


# --- The reviewers' text --------------------------------------------------------------------------------------


def form_data(**values):
    data = {
        "version": 0,
        "assessment": "Đánh giá chung của Sở.",
        "difficulties": "",
        "proposals": "",
        "recipients": "UBND tỉnh;\nLưu: VT.",
        "signatory_name": "Phạm Văn Khánh",
        "signatory_title": "Giám đốc",
        "number": "",
        "issued_on": "",
    }
    data.update(values)
    return data


def page_url(world):
    return reverse("outputs:consolidated", kwargs={"year": world.year.year})


def test_a_reviewer_writes_the_text_and_it_is_audited(world, client_for):
    response = client_for(world.reviewer).post(
        page_url(world), form_data(assessment="Tốt.\nCần cố gắng hơn."), follow=True
    )
    assert "Đã lưu nội dung báo cáo tổng hợp." in response.content.decode()
    saved = ConsolidatedReport.objects.get(reporting_year=world.year)
    assert (saved.assessment, saved.version, saved.updated_by) == (
        "Tốt.\nCần cố gắng hơn.",
        1,
        world.reviewer,
    )
    entry = AuditEntry.objects.get(action=Action.CONSOLIDATED_SAVED, reporting_year=world.year)
    assert {"field": "đánh giá chung", "old": "", "new": "Tốt.\nCần cố gắng hơn."} in entry.changes
    assert consolidated_document(world.year).assessment == ["Tốt.", "Cần cố gắng hơn."]


def test_bad_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(world, client_for):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(world.reviewer).post(
        page_url(world),
        form_data(
            number="12a", issued_on="31/02/2025", assessment="Nội dung dài đã soạn.", recipients=" \n "
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số văn bản chỉ gồm chữ số" in html
    assert "Nhập ngày theo dạng ngày/tháng/năm" in html
    assert "Cần ghi ít nhất một nơi nhận." in html
    assert "Nội dung dài đã soạn." in html
    assert not ConsolidatedReport.objects.filter(reporting_year=world.year).exists()
    response = client_for(world.reviewer).post(
        page_url(world), form_data(issued_on=tomorrow.strftime("%d/%m/%Y"))
    )
    assert "Ngày ban hành không được sau ngày hôm nay." in response.content.decode()
    response = client_for(world.reviewer).post(page_url(world), form_data(signatory_is_deputy="on"))
    assert "Cấp phó ký thay ghi chức vụ của mình" in response.content.decode()


def second_reviewer():
    other = get_user_model().objects.create_user("reviewer2", password="pw", first_name="Đỗ", last_name="Thu")
    other.groups.add(ensure_role_groups()[REVIEWERS])
    return other


def as_opened(response) -> dict:
    """What the browser would send back from the page: every field with the hidden copy it was drawn from."""
    import re
    from html import unescape

    html = response.content.decode()
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', html):
        data[name] = unescape(value)
    for name, value in re.findall(r'<textarea name="([\w-]+)"[^>]*>\n?(.*?)</textarea>', html, re.DOTALL):
        data[name] = unescape(value)
    for name, value in re.findall(r'<input type="text" name="([\w-]+)" value="([^"]*)"', html):
        data[name] = unescape(value)
    for name in re.findall(r'<input type="checkbox" name="([\w-]+)"[^>]*checked', html):
        data[name] = "on"
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_a_stale_save_is_refused_showing_what_changed(world, client_for):
    other = second_reviewer()
    client_for(other).post(page_url(world), form_data(assessment="Bản của chị Thu."))
    response = client_for(world.reviewer).post(page_url(world), form_data(assessment="Bản của tôi."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đỗ Thu đã thay đổi báo cáo tổng hợp sau khi bạn mở trang" in html
    assert "<ins>Bản của chị Thu.</ins>" in html
    assert "Bản của tôi." in html, "the reviewer's own text stays in the form"
    assert 'name="version" value="1"' in html
    assert ConsolidatedReport.objects.get(reporting_year=world.year).assessment == "Bản của chị Thu."
    # Saving again, having seen the other change, goes through.
    client_for(world.reviewer).post(page_url(world), form_data(assessment="Bản của tôi.", version=1))
    assert ConsolidatedReport.objects.get(reporting_year=world.year).assessment == "Bản của tôi."


def test_a_stale_save_shows_theirs_beside_yours_part_by_part_and_merges_the_rest(world, client_for):
    save_text(
        world, assessment="Đánh giá ban đầu.", difficulties="Khó khăn ban đầu.", proposals="Đề xuất ban đầu."
    )
    mine = client_for(world.reviewer)
    opened = as_opened(mine.get(page_url(world)))
    assert opened["version"] == "1"
    assert opened["initial-difficulties"] == "Khó khăn ban đầu.", (
        "the page carries what each part was drawn from"
    )

    theirs = client_for(second_reviewer())
    changed = {**as_opened(theirs.get(page_url(world)))}
    changed.update(assessment="Đánh giá của chị Thu.", difficulties="Khó khăn do chị Thu bổ sung.")
    theirs.post(page_url(world), changed)

    typed = {**opened, "assessment": "Đánh giá của tôi.", "proposals": "Đề xuất của tôi."}
    response = mine.post(page_url(world), typed)
    html = response.content.decode()
    stored = ConsolidatedReport.objects.get(reporting_year=world.year)
    assert (stored.assessment, stored.difficulties, stored.proposals, stored.version) == (
        "Đánh giá của chị Thu.",
        "Khó khăn do chị Thu bổ sung.",
        "Đề xuất ban đầu.",
        2,
    ), "nothing of the stale save was written"

    sections = {s.label: s for s in response.context["stale"]}
    assert set(sections) == {"Đánh giá chung", "Khó khăn, vướng mắc"}
    both = sections["Đánh giá chung"]
    assert (both.theirs, both.mine, both.taken) == ("Đánh giá của chị Thu.", "Đánh giá của tôi.", False)
    assert [e.actor.username for e in both.changed_by] == ["reviewer2"]
    assert "<ins>" in str(both.theirs_diff) and "Đánh giá của tôi." in html
    assert sections["Khó khăn, vướng mắc"].taken
    assert "Cả hai cùng sửa" in html and "Đã lấy nội dung của người kia vào biểu mẫu" in html

    # The form now holds: their difficulties (untouched here), my assessment and my proposals, at version 2.
    form = response.context["form"]
    assert form["assessment"].value() == "Đánh giá của tôi."
    assert form["difficulties"].value() == "Khó khăn do chị Thu bổ sung."
    assert form["proposals"].value() == "Đề xuất của tôi."
    again = as_opened(response)
    assert again["version"] == "2"
    mine.post(page_url(world), again)
    stored.refresh_from_db()
    assert (stored.assessment, stored.difficulties, stored.proposals) == (
        "Đánh giá của tôi.",
        "Khó khăn do chị Thu bổ sung.",
        "Đề xuất của tôi.",
    ), "saving the merged form keeps both people's changes"


def test_a_leader_reads_the_text_without_a_form(world, client_for):
    save_text(world)
    html = client_for(world.leader).get(page_url(world)).content.decode()
    assert "Các cơ quan, đơn vị đã quán triệt và triển khai nghiêm túc." in html
    assert '<form method="post" novalidate>' not in html
    assert client_for(world.leader).post(page_url(world), form_data()).status_code == 403


def test_the_text_of_an_archived_year_cannot_change(world):
    ReportingYear.objects.filter(pk=world.year.pk).update(state=ReportingYear.State.ARCHIVED)
    with pytest.raises(ReportError, match="đã lưu trữ"):
        save_text(world)


def test_an_agency_user_cannot_write_the_text(world):
    with pytest.raises(ReportError):
        consolidated_report_save(
            reporting_year=world.year, actor=world.head_a, expected_version=0, assessment="x"
        )


def test_the_page_shows_reporting_and_indicators_in_a_bounded_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.reviewer)
    accept(world.report_a, world.reviewer)
    with django_assert_max_num_queries(22):
        small = client.get(page_url(world))
    for short_name in ("STC", "SXD", "SNV", "STP", "SYT", "HVL", "HVG", "HYM", "TPHY", "TXMH"):
        accept(report_of(world, short_name), world.reviewer)
    with django_assert_max_num_queries(22):
        large = client.get(page_url(world))
    assert small.status_code == large.status_code == 200
    assert large.context["document"].figures["accepted"] == 11


def test_the_index_lists_every_year_in_a_bounded_number_of_queries(
    world, letter, client_for, django_assert_max_num_queries
):
    from reports.years import reporting_year_create

    client = client_for(world.leader)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("outputs:index")).status_code == 200
    for year in (2019, 2020, 2021):
        reporting_year_create(directive=letter, year=year)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("outputs:index"))
    html = response.content.decode()
    assert all(f"Báo cáo năm {y}" in html for y in (2019, 2020, 2021, world.year.year))


def test_before_registration_the_number_and_date_are_left_blank_for_the_clerk(province):
    import re

    content = consolidated_pdf_now(reporting_year=province.year).file.read()
    header = pdftotext(content, last=1, layout=True)
    assert "Số: …/BC-SKHĐT" in header
    # The blanks' width in pdftotext's layout depends on the rest of the page; three spaces are never a gap.
    assert re.search(rf"Hưng Yên, ngày\s{{3,}}tháng\s{{3,}}năm {timezone.localdate().year}", header), header[
        :600
    ]


def test_an_archived_year_shows_its_text_without_a_form(world, client_for):
    save_text(world)
    ReportingYear.objects.filter(pk=world.year.pk).update(state=ReportingYear.State.ARCHIVED)
    html = client_for(world.reviewer).get(page_url(world)).content.decode()
    assert "đã lưu trữ" in html
    assert "Lưu nội dung" not in html
    assert "Các cơ quan, đơn vị đã quán triệt và triển khai nghiêm túc." in html
    response = client_for(world.reviewer).post(page_url(world), form_data(), follow=True)
    assert "không thể sửa báo cáo tổng hợp" in response.content.decode()


def test_the_consolidated_pdf_writes_numbers_the_vietnamese_way_and_joins_texts_cleanly(world):
    from assignments.models import Indicator
    from reports.models import IndicatorValue
    from tests.outputs.test_agency_pdf import STRAY_SPACE

    share, count = Indicator.objects.filter(task__code="3.1").order_by("pk")
    Indicator.objects.filter(pk=share.pk).update(unit="%")
    Indicator.objects.filter(pk=count.pk).update(unit="")
    IndicatorTarget.objects.create(indicator=count, year=world.year.year, value=8000)
    IndicatorValue.objects.filter(task_report__report=world.report_a).update(note="Số liệu ước tính.")
    accept(
        world.report_a,
        world.reviewer,
        results="Đã hoàn thành kế hoạch năm\nTổ chức 3 hội nghị .",
        difficulties="Thiếu kinh phí",
        proposals="Đề nghị bổ sung kinh phí.",
        value="1000",
    )
    flat = " ".join(pdftotext(consolidated_pdf_now(reporting_year=world.year).file.read()).split())
    assert f"{count.name}: tổng số 1.000, do 1 đơn vị báo cáo; chỉ tiêu năm 8.000 (đạt 12,5%)." in flat
    assert f"{share.name}: tổng số 1.000%, do 1 đơn vị báo cáo." in flat
    assert (
        "- Sở Công Thương (Đã hoàn thành): Đã hoàn thành kế hoạch năm. Tổ chức 3 hội nghị. "
        f"{share.name}: 1.000%. {count.name}: 1.000. Khó khăn: Thiếu kinh phí. Đề xuất: Đề nghị bổ sung kinh phí."
    ) in flat
    body = flat.split("PHỤ LỤC")[0]  # the appendix tables hold units on their own, in their own column
    assert not STRAY_SPACE.search(body), STRAY_SPACE.search(body)


def figure_cells(document):
    """(class, text, number of lines, style) of every table cell of the laid-out PDF that holds a figure or date."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from outputs.pdf import _fetcher, document_html

    rendered = HTML(string=document_html(document), url_fetcher=_fetcher()).render()
    cells = []
    for page in rendered.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableCellBox) or box.element is None:
                continue
            kind = box.element.get("class") or ""
            if kind in ("num", "date"):
                lines = [b for b in box.descendants() if isinstance(b, boxes.LineBox)]
                text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
                cells.append((kind, text, len(lines), box.style))
    return cells


def test_figures_in_the_pdf_tables_are_right_aligned_and_never_wrap(world):
    from assignments.models import Indicator

    for indicator in Indicator.objects.filter(task__code="3.1"):
        IndicatorTarget.objects.create(indicator=indicator, year=world.year.year, value="7")
    accept(world.report_a, world.reviewer, value="123456789012.25")
    cells = figure_cells(consolidated_document(world.year))
    figures = [c for c in cells if c[0] == "num"]
    assert ("num", "123.456.789.012,25", 1) in [c[:3] for c in figures]
    assert ("num", "1.763.668.414.460,7%", 1) in [c[:3] for c in figures]
    for kind, text, lines, style in cells:
        assert style["white_space"] == "nowrap", (kind, text)
        assert lines <= 1, (kind, text)
        if kind == "num":
            assert style["text_align_all"] == "right", text
    assert any(kind == "date" and text for kind, text, _lines, _style in cells), "first submitted on"


# --- Warnings before issuing --------------------------------------------------------------------------------


def warnings_on_page(client, world) -> list[str]:
    response = client.get(page_url(world))
    assert response.status_code == 200
    return response.context["empty_sections"]


def test_the_page_warns_about_every_part_that_would_come_out_empty(province, client_for):
    client = client_for(province.reviewer)
    warnings = warnings_on_page(client, province)
    html = client.get(page_url(province)).content.decode()
    assert "Kiểm tra trước khi ban hành: các phần sau của báo cáo sẽ để trống" in html
    assert (
        "Nhóm nhiệm vụ 1 (Sở Kế hoạch và Đầu tư): chưa có báo cáo được chấp nhận cho nhiệm vụ nào của nhóm."
        in warnings
    )
    assert not any(
        w.startswith(("Nhóm nhiệm vụ 3 ", "Nhóm nhiệm vụ 2 ", "Nhóm nhiệm vụ 5 ")) for w in warnings
    )
    for section in ("III. Đánh giá chung", "IV. Khó khăn, vướng mắc", "V. Đề xuất, kiến nghị"):
        assert f"{section}: chưa soạn." in warnings
    assert "Chữ ký: chưa ghi họ tên người ký." in warnings
    assert not any(w.startswith("Phụ lục II") for w in warnings), "accepted reports gave indicator values"
    for warning in warnings:
        assert warning in html

    # The documents can still be had; once the text is written its warnings go.
    assert (
        client.get(reverse("outputs:consolidated_xlsx", kwargs={"year": province.year.year})).status_code
        == 200
    )
    assert client.get(
        reverse("outputs:consolidated_pdf", kwargs={"year": province.year.year})
    ).status_code in (
        200,
        302,
    )
    save_text(province)
    warnings = warnings_on_page(client, province)
    assert not any(w.startswith(("III.", "IV.", "V.", "Chữ ký")) for w in warnings)
    assert any(w.startswith("Nhóm nhiệm vụ 1 ") for w in warnings)


def test_without_accepted_reports_or_indicator_values_the_page_says_so(world, client_for):
    client = client_for(world.leader)
    assert "Chưa có báo cáo nào được chấp nhận: phần II và phụ lục chỉ tiêu sẽ để trống." in warnings_on_page(
        client, world
    )
    accept(world.report_a, world.reviewer)  # answers every task, gives no indicator value
    warnings = warnings_on_page(client, world)
    assert "Phụ lục II: không báo cáo được chấp nhận nào có giá trị chỉ tiêu." in warnings
    assert any(w.startswith("Nhóm nhiệm vụ 1 ") for w in warnings)
    assert not any(w.startswith("Nhóm nhiệm vụ 3 ") for w in warnings), "Sở Công Thương covers group 3"


def test_tasks_left_uncovered_in_a_group_that_is_otherwise_covered_are_named(world):
    from outputs.documents import empty_sections

    accept(world.report_a, world.reviewer, value=4)
    document = consolidated_document(world.year)
    group = next(g for g in document.groups if g.number == 3)
    group.tasks[1].entries = []  # as if only task 3.1 had been reported on
    warnings = empty_sections(document)
    assert f"Nhiệm vụ {group.tasks[1].code}: chưa có báo cáo được chấp nhận." in warnings
    assert not any(w.startswith("Nhóm nhiệm vụ 3 ") for w in warnings)
