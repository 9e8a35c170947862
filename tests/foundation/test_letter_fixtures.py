"""The letter as data: its groups, tasks and agencies, word for word, and the assignments they imply."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from assignments.models import Agency, AgencySuccession, Assignment, Directive, Task, TaskGroup
from assignments.services import ALL_AGENCY_KINDS, ReorganisationError, agency_reorganise, assignments_sync

LETTER = Path(settings.BASE_DIR) / "fixtures" / "letter.txt"
TYPO_FIXES = {"lồng nghép": "lồng ghép", "đô thị thị xanh": "đô thị xanh"}
DISTRICTS = [
    "Ủy ban nhân dân thành phố Hưng Yên",
    "Ủy ban nhân dân thị xã Mỹ Hào",
    "Ủy ban nhân dân huyện Văn Lâm",
    "Ủy ban nhân dân huyện Văn Giang",
    "Ủy ban nhân dân huyện Yên Mỹ",
    "Ủy ban nhân dân huyện Ân Thi",
    "Ủy ban nhân dân huyện Khoái Châu",
    "Ủy ban nhân dân huyện Kim Động",
    "Ủy ban nhân dân huyện Tiên Lữ",
    "Ủy ban nhân dân huyện Phù Cừ",
]


def letter_text(*, corrected: bool) -> str:
    text = re.sub(r"\s+", " ", LETTER.read_text(encoding="utf-8")).strip()
    if corrected:
        for wrong, right in TYPO_FIXES.items():
            text = text.replace(wrong, right)
    return text


def test_the_letter_has_nine_groups_and_nineteen_tasks(letter):
    assert TaskGroup.objects.filter(directive=letter).count() == 9
    assert Task.objects.filter(group__directive=letter).count() == 19
    counts = {g.number: g.tasks.count() for g in TaskGroup.objects.filter(directive=letter)}
    assert counts == {1: 3, 2: 2, 3: 2, 4: 3, 5: 2, 6: 1, 7: 1, 8: 1, 9: 4}
    codes = list(Task.objects.filter(group__directive=letter).values_list("code", flat=True))
    assert codes[0] == "1.1" and codes[-1] == "9.4"


def test_every_task_is_the_letters_wording_in_the_letters_order(letter):
    corrected = letter_text(corrected=True)
    position = 0
    for task in Task.objects.filter(group__directive=letter).order_by("group__number", "position"):
        found = corrected.find(task.text, position)
        assert found >= position, f"task {task.code} is not word for word in the letter"
        position = found + len(task.text)


def test_only_the_two_named_typos_are_corrected_and_each_says_so(letter):
    original = letter_text(corrected=False)
    changed = {t.code: t for t in Task.objects.filter(group__directive=letter) if t.text not in original}
    assert set(changed) == {"1.2", "5.1"}
    assert "lồng ghép" in changed["1.2"].text and "“lồng nghép” → “lồng ghép”" in changed["1.2"].note
    assert "đô thị xanh" in changed["5.1"].text and "“đô thị thị xanh” → “đô thị xanh”" in changed["5.1"].note
    assert all(not t.note for t in Task.objects.exclude(code__in=["1.2", "5.1"]))


def test_group_headings_are_as_the_letter_words_them(letter):
    original = letter_text(corrected=False)
    for group in TaskGroup.objects.filter(directive=letter):
        assert f"{group.number}. {group.heading}" in original
    group9 = TaskGroup.objects.get(directive=letter, number=9)
    assert group9.scope == TaskGroup.Scope.ALL_AGENCIES and group9.agency is None


def test_task_2_2_names_its_lead_and_coordination(letter):
    task = Task.objects.get(code="2.2")
    assert task.lead_agency.name == "Sở Tài chính"
    assert task.coordination_note == "các cơ quan, đơn vị"


@pytest.mark.django_db
def test_ten_district_level_units_of_the_time_of_the_letter():
    districts = Agency.objects.filter(kind=Agency.Kind.DISTRICT)
    assert districts.count() == 10
    assert sorted(districts.values_list("name", flat=True)) == sorted(DISTRICTS)
    assert all(d.collective_body and d.head_title == "Chủ tịch" for d in districts)


@pytest.mark.django_db
def test_the_provincial_agencies_include_the_eight_named_ones():
    named = set(TaskGroup.objects.exclude(agency=None).values_list("agency__name", flat=True))
    assert named == {
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
        "Sở Công Thương",
        "Sở Tài nguyên và Môi trường",
        "Sở Xây dựng",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Khoa học và Công nghệ",
        "Ngân hàng Nhà nước Việt Nam – Chi nhánh tỉnh Hưng Yên",
    }
    assert Agency.objects.exclude(kind__in=[Agency.Kind.DISTRICT, Agency.Kind.MINISTRY]).count() == 19


def test_the_group_9_rule_gives_every_agency_four_tasks_and_named_agencies_their_own(letter):
    agencies = Agency.objects.filter(kind__in=ALL_AGENCY_KINDS)
    assert agencies.count() == 29
    # 29 agencies × the 4 tasks of group 9, plus the 15 tasks of groups 1–8 for the agency each names.
    assert Assignment.objects.filter(task__group__directive=letter).count() == 29 * 4 + 15 == 131
    for agency in agencies:
        codes = set(Assignment.objects.filter(agency=agency).values_list("task__code", flat=True))
        assert {"9.1", "9.2", "9.3", "9.4"} <= codes
    sct = set(Assignment.objects.filter(agency__short_name="SCT").values_list("task__code", flat=True))
    assert sct == {"3.1", "3.2", "9.1", "9.2", "9.3", "9.4"}
    district = set(Assignment.objects.filter(agency__short_name="HVG").values_list("task__code", flat=True))
    assert district == {"9.1", "9.2", "9.3", "9.4"}


def test_deriving_the_assignments_again_creates_nothing(letter):
    result = assignments_sync(directive=letter, day=datetime.date(2025, 1, 1))
    assert result.created == 0 and result.total == 131


def test_a_new_agency_gets_the_group_9_tasks_when_assignments_are_derived_again(letter):
    Agency.objects.create(name="Sở Ngoại vụ", short_name="SNgV", kind=Agency.Kind.DEPARTMENT, head_title="Giám đốc")
    result = assignments_sync(directive=letter, day=datetime.date(2025, 1, 1))
    assert result.created == 4
    assert set(Assignment.objects.filter(agency__short_name="SNgV").values_list("task__code", flat=True)) == {
        "9.1", "9.2", "9.3", "9.4"
    }


def test_the_letters_own_number_and_date_are_stored_as_unknown(letter):
    assert letter.number == "" and letter.symbol == "" and letter.issued_on is None
    assert letter.implements.reference.startswith("Chỉ thị")
    assert letter.implements.number_symbol == "44/CT-TTg"
    assert letter.implements.issued_on == datetime.date(2024, 12, 9)
    assert letter.signed_by == "Nguyễn Lê Huy"


def test_an_unrelated_directive_44_of_2019_can_coexist_but_not_a_duplicate(letter):
    Directive.objects.create(
        kind=Directive.Kind.DIRECTIVE,
        issuer="Thủ tướng Chính phủ",
        number="44",
        symbol="CT-TTg",
        issued_on=datetime.date(2019, 12, 30),
        title="Chỉ thị khác, năm 2019",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Directive.objects.create(
            kind=Directive.Kind.DIRECTIVE,
            issuer="Thủ tướng Chính phủ",
            number="44",
            symbol="CT-TTg",
            issued_on=datetime.date(2024, 1, 5),
            title="Trùng số trong cùng năm",
        )


def test_a_merger_ends_the_agency_and_passes_its_open_assignments_to_the_successor(letter):
    dpi = Agency.objects.get(short_name="SKHĐT")
    finance = Agency.objects.get(short_name="STC")
    agency_reorganise(
        predecessor=dpi,
        successor=finance,
        kind=AgencySuccession.Kind.MERGED_INTO,
        effective_on=datetime.date(2025, 3, 1),
    )
    dpi.refresh_from_db()
    assert dpi.valid_to == datetime.date(2025, 2, 28)
    assert not dpi.is_active_on(datetime.date(2025, 3, 1))
    # History kept: the former department's rows still exist, ended the day before the merger.
    ended = Assignment.objects.filter(agency=dpi)
    assert ended.count() == 7 and all(a.ended_on == datetime.date(2025, 2, 28) for a in ended)
    inherited = Assignment.objects.filter(agency=finance, source=Assignment.Source.INHERITED)
    assert set(inherited.values_list("task__code", flat=True)) == {"1.1", "1.2", "1.3"}
    assert all(a.inherited_from == dpi for a in inherited)
    # The group still says what the letter says.
    assert TaskGroup.objects.get(number=1).agency == dpi
    # Deriving again after the merger adds nothing for the ended agency.
    assert assignments_sync(directive=letter, day=datetime.date(2025, 6, 1)).created == 0


def test_an_agency_cannot_be_merged_into_one_that_does_not_exist_yet(letter):
    new = Agency.objects.create(
        name="Sở Nông nghiệp và Môi trường",
        short_name="SNNMT",
        kind=Agency.Kind.DEPARTMENT,
        head_title="Giám đốc",
        valid_from=datetime.date(2025, 3, 1),
    )
    with pytest.raises(ReorganisationError):
        agency_reorganise(
            predecessor=Agency.objects.get(short_name="STNMT"),
            successor=new,
            kind=AgencySuccession.Kind.MERGED_INTO,
            effective_on=datetime.date(2025, 2, 1),
        )
