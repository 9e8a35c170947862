"""`manage.py export_report`: the same documents for automation, with clear errors."""

import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from outputs.management.commands.export_report import Command
from tests.outputs.conftest import accept, pdftotext, submit


def export(*args):
    call_command("export_report", *args)


def test_it_writes_the_consolidated_pdf_and_workbook(world, tmp_path):
    accept(world.report_a, world.reviewer)
    pdf, xlsx = tmp_path / "tong-hop.pdf", tmp_path / "tong-hop.xlsx"
    export("--year", str(world.year.year), "--format", "pdf", "--output", str(pdf))
    export("--year", str(world.year.year), "--format", "xlsx", "--output", str(xlsx))
    assert "Tổng hợp kết quả thực hiện" in " ".join(pdftotext(pdf.read_bytes()).split())
    assert "Nhóm 9" in load_workbook(xlsx).sheetnames


def test_it_writes_one_agencys_report_whatever_the_case_of_its_vietnamese_short_name(world, tmp_path):
    from assignments.models import Agency
    from reports.models import Report

    report = Report.objects.get(reporting_year=world.year, agency=Agency.objects.get(short_name="SKHĐT"))
    submit(report)
    target = tmp_path / "skhdt.pdf"
    export("--year", str(world.year.year), "--format", "pdf", "--agency", "skhđt", "--output", str(target))
    text = pdftotext(target.read_bytes())
    assert "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in text and "Số: …/BC-SKHĐT" in text


@pytest.mark.parametrize(
    ("typed", "short_name"),
    [
        ("SKHDT", "SKHĐT"),
        ("stc", "STC"),
        ("so tai chinh", "STC"),
        ("SỞ TÀI CHÍNH", "STC"),
        ("ubnd huyen van lam", "HVL"),
        ("Ủy ban nhân dân huyện Văn Lâm", "HVL"),
        ("UBND TP Hung Yen", "TPHY"),
        ("ke hoach va dau tu", "SKHĐT"),
    ],
)
def test_an_agency_is_found_by_its_code_or_its_name_typed_without_diacritics(world, typed, short_name):
    from outputs.selectors import agencies_matching

    assert [agency.short_name for agency in agencies_matching(typed)] == [short_name]


def test_it_writes_the_report_of_an_agency_named_without_diacritics(world, tmp_path):
    submit(world.report_b)
    target = tmp_path / "stc.pdf"
    export(
        "--year", str(world.year.year), "--format", "pdf", "--agency", "so tai chinh", "--output", str(target)
    )
    assert "SỞ TÀI CHÍNH" in pdftotext(target.read_bytes())


def run_failing(world, tmp_path, monkeypatch, args) -> None:
    """Run the command as from the shell: it must fail with a non-zero status and write nothing."""
    # run_from_argv closes the database connections when it ends, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    argv = [
        "manage.py",
        "export_report",
        "--year",
        str(world.year.year),
        *args,
        "--output",
        str(tmp_path / "out"),
    ]
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(argv)
    assert exit_info.value.code != 0
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("typed", "listed", "not_listed"),
    [
        ("huyen van", ["HVL", "HVG"], "SCT"),
        ("so", ["SCT", "STC", "SKHĐT"], "HVL"),
    ],
)
def test_several_matches_are_listed_with_their_codes_and_nothing_is_written(
    world, tmp_path, capsys, monkeypatch, typed, listed, not_listed
):
    from assignments.models import Agency

    run_failing(world, tmp_path, monkeypatch, ["--format", "pdf", "--agency", typed])
    err = capsys.readouterr().err
    assert f"Có nhiều cơ quan, đơn vị khớp với “{typed}”. Hãy ghi mã" in err
    for agency in Agency.objects.filter(short_name__in=listed):
        assert f"  {agency.short_name:<10} {agency.name}" in err
    assert f"  {not_listed} " not in err


def test_an_unknown_agency_lists_every_agency_with_its_code(world, tmp_path, capsys, monkeypatch):
    from assignments.models import Agency

    run_failing(world, tmp_path, monkeypatch, ["--format", "pdf", "--agency", "so giao thong van tai bien"])
    err = capsys.readouterr().err
    assert "Không có cơ quan, đơn vị nào khớp với “so giao thong van tai bien”" in err
    assert all(f"  {a.short_name:<10} {a.name}" in err for a in Agency.objects.all())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1999", "--format", "pdf"], "Không có năm báo cáo 1999"),
        (["--format", "pdf", "--agency", "KHONGCO"], "Không có cơ quan, đơn vị nào khớp với “KHONGCO”"),
        (["--format", "pdf", "--agency", "SCT"], "Sở Công Thương chưa nộp báo cáo năm"),
        (["--format", "xlsx", "--agency", "SCT"], "được xuất dưới dạng PDF hoặc Word"),
    ],
)
def test_it_stops_with_a_clear_message_and_a_failing_exit_status(
    world, tmp_path, capsys, monkeypatch, args, message
):
    # run_from_argv closes the database connections when it ends, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    if "--year" not in args:
        args = ["--year", str(world.year.year), *args]
    argv = ["manage.py", "export_report", *args, "--output", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(argv)
    assert exit_info.value.code != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_missing_folder_is_reported(world, tmp_path):
    with pytest.raises(CommandError, match="không tồn tại"):
        export(
            "--year", str(world.year.year), "--format", "xlsx", "--output", str(tmp_path / "no" / "file.xlsx")
        )


def test_the_benchmark_measures_a_province_and_keeps_nothing(world):
    from io import StringIO

    from assignments.models import Agency, ReportingYear

    before = (Agency.objects.count(), ReportingYear.objects.count())
    out = StringIO()
    call_command("benchmark_outputs", agencies=3, stdout=out)
    assert "Consolidated PDF for 3 agencies:" in out.getvalue()
    assert (Agency.objects.count(), ReportingYear.objects.count()) == before


def test_the_page_benchmark_measures_every_page_and_keeps_nothing(world):
    from io import StringIO

    from assignments.models import Agency, ReportingYear
    from reports.models import Report

    before = (Agency.objects.count(), ReportingYear.objects.count(), Report.objects.count())
    out = StringIO()
    call_command("benchmark_pages", sizes="3", repeat=2, no_documents=True, stdout=out)
    table = out.getvalue()
    for page in ("Dashboard", "Review board", "Consolidated page", "Report form"):
        assert re.search(rf"\| {page} \| 3 \| \d+ ms \| [\d.]+ ms \|", table), table
    assert (Agency.objects.count(), ReportingYear.objects.count(), Report.objects.count()) == before
