"""One agency's report as a Decree 30/2020/NĐ-CP document, read back from the PDF itself."""

import datetime
import io
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assignments.models import Agency
from outputs.formatting import issuer_lines, place_and_date, place_of, signature_lines, vn_number
from outputs.models import GeneratedOutput
from reports.services import report_editing, report_return
from tests.outputs.conftest import (
    assert_in_order,
    download,
    embedded_fonts,
    head_of,
    pdftotext,
    submit,
    words_with_boxes,
)

MM = 72 / 25.4  # points per millimetre
A4 = (595.28, 841.89)


def _pdf(client_for, user, report) -> bytes:
    response = client_for(user).get(reverse("outputs:agency_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return download(response)


@pytest.fixture
def pdf(world, submitted_a, client_for) -> bytes:
    return _pdf(client_for, world.staff_a, submitted_a)


def test_the_pdf_is_a4_portrait_on_every_page(pdf):
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))


def test_the_decree_30_blocks_come_in_order(pdf, world, submitted_a):
    year = world.year.year
    day = timezone.localdate(submitted_a.submitted_at)
    # The header, line by line as laid out: the issuing agency on the left, the nation on the right.
    lines = [line.strip() for line in pdftotext(pdf, last=1, layout=True).splitlines() if line.strip()]
    assert re.fullmatch(r"UBND TỈNH HƯNG YÊN\s+CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", lines[0]), lines[0]
    assert re.fullmatch(r"SỞ CÔNG THƯƠNG\s+Độc lập - Tự do - Hạnh phúc", lines[1]), lines[1]
    date_line = (
        f"Hưng Yên, ngày {day:%d} tháng {day.month if day.month > 2 else f'{day.month:02d}'} năm {day.year}"
    )
    assert re.fullmatch(r"Số: …/BC-SCT\s+" + re.escape(date_line), lines[2]), lines[2]
    flat = " ".join(pdftotext(pdf).split())
    assert_in_order(
        flat,
        "BÁO CÁO",
        f"Kết quả thực hiện Chỉ thị số 44/CT-TTg ngày 09/12/2024 của Thủ tướng Chính phủ năm {year}",
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO",
        "Nhóm nhiệm vụ 3: Sở Công Thương",
        "Nhiệm vụ 3.1:",
        "Tình hình thực hiện: Đã hoàn thành.",
        'Kết quả đạt được: =HYPERLINK("http://example.org","Bấm vào đây")',
        "Khó khăn, vướng mắc: Thiếu kinh phí thực hiện.",
        "Đề xuất, kiến nghị: Đề nghị bổ sung kinh phí.",
        "Số dự án công nghiệp xanh thu hút được: 12 dự án",
        "Nhóm nhiệm vụ 9:",
        "II. VĂN BẢN ĐÃ BAN HÀNH VÀ HOẠT ĐỘNG TRUYỀN THÔNG",
        "Trên đây là báo cáo kết quả thực hiện",
        "./.",
        "Nơi nhận:",
        "- UBND tỉnh (qua Sở Kế hoạch và Đầu tư);",
        "- Lưu: VT.",
        "PHỤ LỤC",
        "NHIỆM VỤ, TÌNH HÌNH THỰC HIỆN VÀ CHỈ TIÊU",
        "(Kèm theo Báo cáo số …/BC-SCT ngày",
    )
    # The signature block, from the signatory recorded at submission (a deputy of the director).
    assert_in_order(flat, "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Minh", "PHỤ LỤC")


def test_the_date_line_is_in_italics_and_the_title_in_bold(pdf):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    fonts_by_text = {}

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict is not None:
            fonts_by_text.setdefault(text.strip(), str(font_dict["/BaseFont"]))

    reader.pages[0].extract_text(visitor_text=visitor)
    date_font = next(font for text, font in fonts_by_text.items() if text.startswith("Hưng Yên, ngày"))
    title_font = fonts_by_text["BÁO CÁO"]
    assert date_font.endswith("-Italic")
    assert title_font.endswith("-Bold")


def test_only_the_bundled_liberation_serif_is_embedded_and_it_covers_vietnamese(pdf):
    names = embedded_fonts(pdf)
    base_names = {name.split("+", 1)[-1] for name in names}
    assert base_names == {
        "LiberationSerifBundled",
        "LiberationSerifBundled-Bold",
        "LiberationSerifBundled-Italic",
        "LiberationSerifBundled-Bold-Italic",
    }
    assert not any("DejaVu" in name for name in names)
    # Every Vietnamese letter came out of those fonts: the text reads back with its diacritics.
    text = pdftotext(pdf)
    for word in ("CỘNG HÒA", "Độc lập", "Hạnh phúc", "Thương", "nghiệp", "vướng mắc", "Đề xuất", "Chỉ thị"):
        assert word in text


def test_page_numbers_are_centred_in_the_top_margin_from_page_two(pdf):
    first = words_with_boxes(pdf, 1)
    assert not [w for w in first if w[2] < 20 * MM and w[0].isdigit()], "page 1 carries no number"
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    for page in range(2, pages + 1):
        numbers = [w for w in words_with_boxes(pdf, page) if w[0] == str(page)]
        assert numbers, f"page {page} has no number"
        _word, x0, _y0, x1, y1 = numbers[0]
        assert y1 < 20 * MM, "in the top margin"
        text_centre = (30 * MM + A4[0] - 15 * MM) / 2
        assert abs((x0 + x1) / 2 - text_centre) < 3, "centred over the text"


def test_the_text_keeps_the_decree_30_margins(pdf):
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    for page in range(1, pages + 1):
        words = [w for w in words_with_boxes(pdf, page) if w[2] > 20 * MM]  # below the header margin
        assert min(w[1] for w in words) >= 30 * MM - 0.5, "left margin at least 30 mm"
        assert max(w[3] for w in words) <= A4[0] - 15 * MM + 0.5, "right margin at least 15 mm"
        assert max(w[4] for w in words) <= A4[1] - 20 * MM + 0.5, "bottom margin at least 20 mm"
        assert min(w[2] for w in words) >= 20 * MM - 0.5, "top margin at least 20 mm"


def test_the_pdf_is_the_submitted_version_not_the_draft_written_since(world, submitted_a, client_for):
    returned = report_return(report=submitted_a, actor=world.reviewer, reason="Bổ sung số liệu.")
    answer = returned.task_reports.order_by("task__group__number", "task__position").first()
    with report_editing(report=returned, actor=world.staff_a, expected_version=returned.version):
        answer.results = "Bản nháp mới chưa nộp."
        answer.save(update_fields=["results"])
    text = pdftotext(_pdf(client_for, world.reviewer, submitted_a))
    assert "Bản nháp mới chưa nộp" not in text
    assert "HYPERLINK" in text


def test_the_file_is_kept_until_the_report_changes(
    world, submitted_a, client_for, django_capture_on_commit_callbacks
):
    first = _pdf(client_for, world.staff_a, submitted_a)
    again = _pdf(client_for, world.leader, submitted_a)
    assert first == again
    assert GeneratedOutput.objects.filter(report=submitted_a).count() == 1
    old = GeneratedOutput.objects.get(report=submitted_a)
    old_path = old.file.path

    report_return(report=submitted_a, actor=world.reviewer, reason="Bổ sung.")
    submit(submitted_a, results="Kết quả đã bổ sung.")
    with django_capture_on_commit_callbacks(execute=True):
        renewed = _pdf(client_for, world.staff_a, submitted_a)
    assert "Kết quả đã bổ sung." in pdftotext(renewed)
    rows = list(GeneratedOutput.objects.filter(report=submitted_a))
    assert len(rows) == 1 and rows[0].pk != old.pk
    assert not os.path.exists(old_path), "the outdated file is removed"


def test_a_report_not_yet_submitted_has_no_pdf_and_says_why(world, client_for):
    response = client_for(world.staff_a).get(
        reverse("outputs:agency_pdf", kwargs={"pk": world.report_a.pk}), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reports:detail", kwargs={"pk": world.report_a.pk})
    assert "Báo cáo chưa được nộp" in response.content.decode()


def test_another_agency_gets_404_for_the_pdf(world, submitted_a, client_for):
    response = client_for(world.staff_b).get(reverse("outputs:agency_pdf", kwargs={"pk": submitted_a.pk}))
    assert response.status_code == 404


def test_a_peoples_committee_signs_on_behalf_of_the_committee(world, client_for):
    district = Agency.objects.get(short_name="HVL")
    report = district.reports.get(reporting_year=world.year)
    submit(report)
    text = " ".join(pdftotext(_pdf(client_for, world.reviewer, report)).split())
    assert_in_order(text, "ỦY BAN NHÂN DÂN", "HUYỆN VĂN LÂM", "Số: …/BC-UBND")
    assert "Văn Lâm, ngày" in text
    assert_in_order(text, "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Hòa")


def test_the_demonstration_mark_appears_only_in_demo_mode(world, submitted_a, client_for, settings):
    assert "BẢN MINH HỌA" not in pdftotext(_pdf(client_for, world.staff_a, submitted_a))
    settings.DEMO_MODE = True
    assert "BẢN MINH HỌA" in pdftotext(_pdf(client_for, world.staff_a, submitted_a))


# --- How documents write names, dates, numbers and signatures ----------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 3, 5), "Hưng Yên, ngày 05 tháng 3 năm 2025"),
        (datetime.date(2025, 1, 15), "Hưng Yên, ngày 15 tháng 01 năm 2025"),
        (datetime.date(2025, 12, 2), "Hưng Yên, ngày 02 tháng 12 năm 2025"),
        (None, "Hưng Yên, ngày      tháng      năm 2025"),
    ],
)
def test_dates_follow_decree_30(day, expected, settings):
    from django.utils import translation

    with translation.override("vi"):
        assert place_and_date("Hưng Yên", day, 2025) == expected


def test_header_lines_of_the_different_kinds_of_agency(letter):
    assert issuer_lines(Agency.objects.get(short_name="SCT")) == ("UBND TỈNH HƯNG YÊN", ["SỞ CÔNG THƯƠNG"])
    assert issuer_lines(Agency.objects.get(short_name="TXMH")) == ("", ["ỦY BAN NHÂN DÂN", "THỊ XÃ MỸ HÀO"])
    assert issuer_lines(Agency.objects.get(short_name="NHNN")) == (
        "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
        ["CHI NHÁNH TỈNH HƯNG YÊN"],
    )
    assert place_of(Agency.objects.get(short_name="TPHY")) == "Hưng Yên"
    assert place_of(Agency.objects.get(short_name="HKC")) == "Khoái Châu"
    assert place_of(Agency.objects.get(short_name="SXD")) == "Hưng Yên"


def test_signature_lines(letter):
    from django.utils import translation

    department = Agency.objects.get(short_name="SCT")
    committee = Agency.objects.get(short_name="HVL")
    with translation.override("vi"):
        assert signature_lines(agency=department, title="Phó Giám đốc", is_deputy=True) == [
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
        ]
        assert signature_lines(agency=department, title="Giám đốc", is_deputy=False) == ["GIÁM ĐỐC"]
        assert signature_lines(agency=committee, title="Chủ tịch", is_deputy=False) == [
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
        ]
        assert signature_lines(agency=committee, title="Phó Chủ tịch", is_deputy=True) == [
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
        ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1500", "1.500"),
        ("1234567.5", "1.234.567,5"),
        ("12.50", "12,5"),
        ("0", "0"),
        ("-2500", "-2.500"),
        ("", ""),
    ],
)
def test_numbers_use_vietnamese_separators(value, text):
    assert vn_number(value) == text


def test_the_head_of_the_agency_is_the_signatory_recorded(world, submitted_a):
    assert submitted_a.signatory_is_deputy and submitted_a.signatory_title == "Phó Giám đốc"
    assert head_of(world.agency_a) == world.head_a


@pytest.mark.parametrize(
    ("text", "tidied", "closed"),
    [
        ("Số liệu ước tính..", "Số liệu ước tính.", "Số liệu ước tính."),
        ("Thiếu kinh phí , nhân lực ; chậm tiến độ .", "Thiếu kinh phí, nhân lực; chậm tiến độ.", None),
        ("( ước tính )", "(ước tính)", "(ước tính)."),
        ("tăng 12,5 %", "tăng 12,5%", "tăng 12,5%."),
        ("Đang chờ...", "Đang chờ...", "Đang chờ..."),
        ("Cụ thể như sau:", "Cụ thể như sau:", "Cụ thể như sau:"),
        ("Kết thúc./.", "Kết thúc./.", "Kết thúc./."),
        ("Hoàn thành", "Hoàn thành", "Hoàn thành."),
    ],
)
def test_joined_text_has_no_space_before_punctuation_nor_doubled_marks(text, tidied, closed):
    from outputs.formatting import sentence, tidy

    assert tidy(text) == tidied
    assert sentence(text) == (closed or tidied)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [("12,5", "%", "12,5%"), ("1.500", "tấn", "1.500 tấn"), ("7", "", "7"), ("", "ha", "")],
)
def test_a_quantity_is_written_without_stray_spaces(value, unit, text):
    from outputs.formatting import quantity

    assert quantity(value, unit) == text


STRAY_SPACE = re.compile(r"\s[.,;:!?)%]|[.;,:]\.(?![./])")


def test_the_pdf_writes_numbers_the_vietnamese_way_and_joins_texts_cleanly(world, client_for):
    from assignments.models import Indicator, IndicatorTarget
    from reports.models import IndicatorValue

    # Task 3.1 has two indicators: one given in per cent, one with no unit at all.
    share, count = Indicator.objects.filter(task__code="3.1").order_by("pk")
    Indicator.objects.filter(pk=share.pk).update(unit="%")
    Indicator.objects.filter(pk=count.pk).update(unit="")
    IndicatorTarget.objects.create(indicator=count, year=world.year.year, value=2000)
    IndicatorValue.objects.filter(task_report__report=world.report_a).update(note="Số liệu ước tính.")
    report = submit(
        world.report_a, results="Đã hoàn thành kế hoạch năm .", difficulties="Thiếu kinh phí.", value="1234.5"
    )
    text = pdftotext(_pdf(client_for, world.staff_a, report))
    flat = " ".join(text.split())
    assert f"{share.name}: 1.234,5%; Số liệu ước tính." in flat
    assert f"{count.name}: 1.234,5 (chỉ tiêu năm của tỉnh: 2.000); Số liệu ước tính." in flat
    assert "Kết quả đạt được: Đã hoàn thành kế hoạch năm." in flat
    body = flat.split("PHỤ LỤC")[0]  # the appendix tables hold units on their own, in their own column
    assert not STRAY_SPACE.search(body), STRAY_SPACE.search(body)
