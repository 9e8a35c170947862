"""Helpers for the report tests: evidence files of each kind, and the edit form as a browser would send it."""

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures_files"


def pdf_bytes() -> bytes:
    return (FIXTURES / "bien-ban-hoi-nghi.pdf").read_bytes()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Số dự án"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải tài liệu Word")
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (20, 83, 45)).save(buffer, format=kind)
    return buffer.getvalue()


def exe_bytes() -> bytes:
    # The start of a Windows program: "MZ", then the offset of the PE header, then the header.
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    return bytes(header.ljust(0x80, b"\x00")) + b"PE\x00\x00" + b"\x00" * 256


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class _FormParser(HTMLParser):
    """The values a browser would send for one form: inputs, checked boxes, textareas, selected options."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.in_template = 0
        self.fields: list[tuple[str, str]] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "textarea" and self._textarea:
            value = self._textarea[1]
            self.fields.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_fields(html: str, form_id: str = "report-form") -> dict:
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


class EditPage:
    """The edit page of one report, opened by one user, as the browser holds it until it posts."""

    def __init__(self, client, report):
        self.client = client
        self.report = report
        self.url = reverse("reports:edit", kwargs={"pk": report.pk})
        response = client.get(self.url)
        assert response.status_code == 200, response.status_code
        self.html = response.content.decode()
        self.data = form_fields(self.html)

    def answer_prefix(self, code: str) -> str:
        answer = self.report.task_reports.get(task__code=code)
        return f"t{answer.pk}"

    def set_task(self, code: str, **values):
        prefix = self.answer_prefix(code)
        for name, value in values.items():
            self.data[f"{prefix}-{name}"] = value
        return self

    def set_indicator(self, indicator_value, value, note=None):
        self.data[f"v{indicator_value.pk}-value"] = value
        if note is not None:
            self.data[f"v{indicator_value.pk}-note"] = note
        return self

    def add_row(self, prefix: str, **values):
        total = int(self.data[f"{prefix}-TOTAL_FORMS"])
        for name, value in values.items():
            self.data[f"{prefix}-{total}-{name}"] = value
        self.data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        return self

    def post(self, url=None, files=None, **extra):
        data = dict(self.data)
        data.update(extra)
        for field_name, upload_file in (files or {}).items():
            data[field_name] = upload_file
        return self.client.post(url or self.url, data)


@pytest.fixture
def edit_page():
    return EditPage
