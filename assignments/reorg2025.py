"""The 2025 reorganisation of Hưng Yên as data, read from `assignments/data/reorg-2025/` (sources in SOURCES.md).

- 01/03/2025: departments merge (Kế hoạch và Đầu tư into Tài chính; Tài nguyên và Môi trường with Nông nghiệp và
  Phát triển nông thôn into Nông nghiệp và Môi trường; …) in Hưng Yên and in Thái Bình; the State Bank's
  provincial branches become its regional branch Khu vực 6; the Ministry of Planning and Investment becomes part
  of the Ministry of Finance.
- 01/07/2025: Thái Bình merges into Hưng Yên: the departments of the two provinces merge into the departments of
  the new province; the district level is abolished and 104 commune-level People's Committees (93 xã, 11 phường)
  are formed; the State Bank's branch for the new province is Khu vực 12.

`plan()` reads the CSV files into steps without touching the database; `apply()` records them through the
reorganisation service (`agency_reorganise`), so every step is an effective-dated succession with its source and
an audit entry, and running it again changes nothing. A row whose source says "unconfirmed" stays unconfirmed
(on the agency and on the succession) until an administrator confirms it; a successor whose name the data does
not give is recorded as a gap in the predecessor's note, never guessed.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from assignments.models import Agency, AgencySuccession, Assignment

DATA = Path(__file__).resolve().parent / "data" / "reorg-2025"
MARCH = datetime.date(2025, 3, 1)
JULY = datetime.date(2025, 7, 1)
HY_PARENT = "UBND TỈNH HƯNG YÊN"
TB_PARENT = "UBND TỈNH THÁI BÌNH"
GAP = "(successor name not found)"

# The short names of the letter's agencies (fixtures/agencies.json) and of the departments formed in 2025, by the
# name the CSV gives them once the province's name and any remark in brackets are taken off.
CODES = {
    "Văn phòng UBND": "VPUBND",
    "Sở Nội vụ": "SNV",
    "Sở Tư pháp": "STP",
    "Sở Kế hoạch và Đầu tư": "SKHĐT",
    "Sở Tài chính": "STC",
    "Sở Công Thương": "SCT",
    "Sở Nông nghiệp và Phát triển nông thôn": "SNNPTNT",
    "Sở Giao thông vận tải": "SGTVT",
    "Sở Xây dựng": "SXD",
    "Sở Tài nguyên và Môi trường": "STNMT",
    "Sở Thông tin và Truyền thông": "STTTT",
    "Sở Lao động - Thương binh và Xã hội": "SLĐTBXH",
    "Sở Văn hóa, Thể thao và Du lịch": "SVHTTDL",
    "Sở Khoa học và Công nghệ": "SKHCN",
    "Sở Giáo dục và Đào tạo": "SGDĐT",
    "Sở Y tế": "SYT",
    "Thanh tra": "TTr",
    "Sở Nông nghiệp và Môi trường": "SNNMT",
    "Sở Ngoại vụ": "SNgV",
}
HEADS = {"VPUBND": "Chánh Văn phòng", "TTr": "Chánh Thanh tra"}
DOCUMENT_SYMBOLS = {"VPUBND": "VP", "TTr": "TTr"}
KIND_OF = {"VPUBND": Agency.Kind.BOARD, "TTr": Agency.Kind.BOARD}
FULL_NAMES = {"Văn phòng UBND": "Văn phòng Ủy ban nhân dân tỉnh", "Thanh tra": "Thanh tra tỉnh"}

MINISTRY_OLD = ("BKHĐT", "Bộ Kế hoạch và Đầu tư")
MINISTRY_NEW = ("BTC", "Bộ Tài chính")
MINISTRY_SOURCE = (
    "Nghị quyết số 176/2025/QH15 ngày 18/02/2025 của Quốc hội về cơ cấu tổ chức của Chính phủ: Bộ Kế hoạch và Đầu tư "
    "hợp nhất vào Bộ Tài chính, từ 01/03/2025"
)
BANK_KV6 = ("NHNN-KV6", "Ngân hàng Nhà nước Việt Nam – Chi nhánh Khu vực 6")
BANK_KV12 = ("NHNN-KV12", "Ngân hàng Nhà nước Việt Nam – Chi nhánh Khu vực 12")
BANK_TB = ("TB-NHNN", "Ngân hàng Nhà nước Việt Nam – Chi nhánh tỉnh Thái Bình")
BQL_TB = ("TB-BQLKKT", "Ban Quản lý Khu kinh tế và các khu công nghiệp tỉnh Thái Bình")


def unconfirmed(source: str) -> bool:
    return "unconfirmed" in source.lower()


def ascii_slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def read_csv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- The communes --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    code: str
    name: str  # "Xã Tân Hưng", "Phường Phố Hiến"
    is_ward: bool
    former_district: str
    old_province: str
    formed_from: str
    source: str

    @property
    def short_name(self) -> str:
        return f"X{self.code}"

    @property
    def agency_name(self) -> str:
        return "Ủy ban nhân dân " + self.name[0].lower() + self.name[1:]

    @property
    def login(self) -> str:
        """The demo's login stem: `phuong-phohien`, `xa-vangiang`."""
        kind, _space, rest = self.name.partition(" ")
        return f"{ascii_slug(kind)}-{ascii_slug(rest)}"


def communes() -> list[Commune]:
    rows = []
    for row in read_csv("communes_2025.csv"):
        code = re.search(r"code (\d+)", row["source"]).group(1)
        rows.append(
            Commune(
                code=code,
                name=row["new_name"],
                is_ward=row["type"] == "phường",
                former_district=row["old_district"],
                old_province=row["old_province"],
                formed_from=row["formed_from"],
                source=row["source"],
            )
        )
    return rows


def constituents() -> dict[str, list[dict]]:
    """The units each new commune was formed from (communes_2025_detail.csv), by the new commune's code."""
    found: dict[str, list[dict]] = {}
    for row in read_csv("communes_2025_detail.csv"):
        found.setdefault(row["new_code"], []).append(row)
    return found


# --- The departments -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    short_name: str
    name: str
    kind: str
    parent_body: str = HY_PARENT
    head_title: str = "Giám đốc"
    document_symbol: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    collective_body: bool = False


@dataclass
class Step:
    """One row of departments_2025.csv as the portal records it."""

    row: int  # 1-based, after the header
    old_name: str
    new_name: str
    effective_on: datetime.date
    source: str
    action: str  # "succession", "continues", "gap", "absent", "districts"
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (predecessor, successor, kind)
    agencies: list[str] = field(default_factory=list)  # short names the row speaks of

    @property
    def confirmed(self) -> bool:
        return not unconfirmed(self.source)


def _base(name: str) -> tuple[str, str, bool]:
    """("Sở Công Thương", "HY" or "TB", new province?) from a name of the CSV."""
    new = "(mới)" in name
    province = "TB" if "Thái Bình" in name else "HY"
    base = re.sub(r"\(.*?\)", "", name)
    base = re.sub(r"\b(tỉnh )?(Hưng Yên|Thái Bình)\b", "", base)
    base = re.sub(r"\s+", " ", base).strip(" ,;")
    return base, province, new


def _key(name: str) -> str:
    base, province, new = _base(name)
    code = CODES[base]
    if new:
        return f"{code}-2025"
    return f"TB-{code}" if province == "TB" else code


def _department(key: str, code: str, base: str, *, province: str, new: bool) -> AgencySpec:
    """A department the letter's fixtures lack: one of Thái Bình's, one formed on 01/03/2025, or one of the
    merged province's formed on 01/07/2025."""
    name = FULL_NAMES.get(base, base)
    thai_binh = province == "TB" and not new
    if thai_binh:
        name = name.replace(" tỉnh", " tỉnh Thái Bình") if base in FULL_NAMES else f"{name} tỉnh Thái Bình"
    last_day = None if new else datetime.date(2025, 6, 30)
    return AgencySpec(
        short_name=key,
        name=name,
        # Thái Bình's departments never owed Hưng Yên's reports: kept as lineage, outside every kind that owes.
        kind=Agency.Kind.OTHER if thai_binh else KIND_OF.get(code, Agency.Kind.DEPARTMENT),
        parent_body=TB_PARENT if thai_binh else HY_PARENT,
        head_title=HEADS.get(code, "Giám đốc"),
        document_symbol=DOCUMENT_SYMBOLS.get(code, code) if new else "",
        valid_from=JULY if new else (MARCH if code == "SNNMT" else None),
        valid_to=last_day,
    )


def plan() -> tuple[list[AgencySpec], list[Step]]:
    """Every agency the data speaks of that the letter's fixtures lack, and every row of departments_2025.csv.

    Long because it walks the data files in their order (departments, banks, Thái Bình, communes) and each kind of row has its own check."""
    specs: dict[str, AgencySpec] = {}
    steps: list[Step] = []
    commune_names = {c.name.lower(): c.short_name for c in communes()}
    district_names = {
        "UBND thành phố Hưng Yên": "TPHY",
        "UBND thị xã Mỹ Hào": "TXMH",
        "UBND huyện Văn Lâm": "HVL",
        "UBND huyện Văn Giang": "HVG",
        "UBND huyện Yên Mỹ": "HYM",
        "UBND huyện Ân Thi": "HAT",
        "UBND huyện Khoái Châu": "HKC",
        "UBND huyện Kim Động": "HKĐ",
        "UBND huyện Tiên Lữ": "HTL",
        "UBND huyện Phù Cừ": "HPC",
    }
    for spec in (
        AgencySpec(*BANK_KV6, kind=Agency.Kind.BANK, parent_body="NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", valid_from=MARCH,
                   valid_to=datetime.date(2025, 6, 30)),
        AgencySpec(*BANK_KV12, kind=Agency.Kind.BANK, parent_body="NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", valid_from=JULY),
        AgencySpec(*BANK_TB, kind=Agency.Kind.OTHER, parent_body="NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
                   valid_to=datetime.date(2025, 2, 28)),
        AgencySpec(*BQL_TB, kind=Agency.Kind.OTHER, parent_body=TB_PARENT, head_title="Trưởng ban",
                   valid_to=datetime.date(2025, 6, 30)),
    ):
        specs[spec.short_name] = spec

    def ensure(name: str) -> str:
        base, province, new = _base(name)
        code = CODES[base]
        key = _key(name)
        if key not in specs and (province == "TB" or new or code == "SNNMT"):
            specs[key] = _department(key, code, base, province=province, new=new)
        return key

    for number, row in enumerate(read_csv("departments_2025.csv"), start=1):
        old, new, source = row["old_name"], row["new_name"], row["source"]
        day = datetime.date.fromisoformat(row["effective_date"])
        step = Step(number, old, new, day, source, "succession")
        if old.startswith("UBND "):
            district = district_names[old]
            successors = [part.strip() for part in new.split("(")[0].split(";")]
            step.action = "districts"
            step.agencies = [district]
            for successor in successors:
                commune = commune_names[successor.removeprefix("UBND ").lower()]
                step.links.append((district, commune, AgencySuccession.Kind.SPLIT_INTO))
        elif old.startswith("Ngân hàng"):
            predecessor = {
                "Khu vực 6": BANK_KV6[0], "tỉnh Hưng Yên": "NHNN", "tỉnh Thái Bình": BANK_TB[0]
            }[next(k for k in ("Khu vực 6", "tỉnh Hưng Yên", "tỉnh Thái Bình") if k in old)]
            successor = BANK_KV12[0] if "Khu vực 12" in new else BANK_KV6[0]
            kind = AgencySuccession.Kind.SPLIT_INTO if predecessor == BANK_KV6[0] else AgencySuccession.Kind.MERGED_INTO
            step.links.append((predecessor, successor, kind))
            step.agencies = [predecessor, successor]
        elif old.startswith("Ban Quản lý"):
            step.action = "gap"
            step.agencies = ["BQLKCN", BQL_TB[0]]
        elif "(if it existed as a sở)" in old:
            step.action = "absent"  # the letter names no Sở Ngoại vụ of Hưng Yên: nothing to record
        else:
            old_key = ensure(old)
            new_key = ensure(new)
            step.agencies = [old_key, new_key]
            if old_key == new_key:
                step.action = "continues"
            else:
                kind = AgencySuccession.Kind.MERGED_INTO
                if "(" in old and "Lao động" in old and "Sở Nội vụ" not in new:
                    kind = AgencySuccession.Kind.SPLIT_INTO  # the part of a divided department
                step.links.append((old_key, new_key, kind))
                if "Thông tin và Truyền thông" in old and "Văn hóa" in new:
                    # Press and publishing went to Culture; network security to the Police, not an agency here.
                    step.links.append((old_key, ensure("Sở Văn hóa, Thể thao và Du lịch tỉnh Hưng Yên"),
                                       AgencySuccession.Kind.SPLIT_INTO))
                if "Lao động" in old and "partial functions" in new:
                    for other in ("Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường"):
                        step.links.append((old_key, ensure(f"{other} tỉnh Thái Bình"), AgencySuccession.Kind.SPLIT_INTO))
        steps.append(step)
    return list(specs.values()), steps


# --- Recording it ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    agencies_created: int = 0
    successions_created: int = 0
    gaps: list[str] = field(default_factory=list)


def _ensure_agency(spec: AgencySpec, *, source: str, confirmed: bool, position: int) -> tuple[Agency, bool]:
    agency, created = Agency.objects.get_or_create(
        short_name=spec.short_name,
        defaults={
            "name": spec.name,
            "kind": spec.kind,
            "parent_body": spec.parent_body,
            "head_title": spec.head_title,
            "document_symbol": spec.document_symbol,
            "valid_from": spec.valid_from,
            "valid_to": spec.valid_to,
            "collective_body": spec.collective_body,
            "position": position,
            "source": source,
            "confirmed": confirmed,
        },
    )
    return agency, created


def apply(*, actor=None) -> Result:
    """Record the whole reorganisation; safe to run again (it creates only what is missing).

    Long because it records the data files in their order (departments, banks, Thái Bình, communes), each through the reorganisation service."""
    from assignments.services import agency_reorganise, assignments_pass_on

    result = Result()
    specs, steps = plan()
    sources: dict[str, list[str]] = {}
    for step in steps:
        for key in step.agencies:
            sources.setdefault(key, []).append(step.source)
    letter_positions = dict(Agency.objects.values_list("short_name", "position"))
    with transaction.atomic():
        _ministries(actor, result)
        for number, spec in enumerate(specs):
            texts = sources.get(spec.short_name, [])
            # The merged province's departments sort where the letter lists them; the rest after the communes.
            position = letter_positions.get(spec.short_name.removesuffix("-2025"), 75)
            if not spec.short_name.endswith("-2025") and spec.short_name != BANK_KV12[0]:
                position = 2000 + number
            elif spec.short_name == BANK_KV12[0]:
                position = letter_positions.get("NHNN", 190)
            _agency, created = _ensure_agency(
                spec,
                source="\n".join(dict.fromkeys(texts)),
                confirmed=not any(unconfirmed(t) for t in texts),
                position=position,
            )
            result.agencies_created += created
        for position, commune in enumerate(communes(), start=1000):
            agency, created = _ensure_agency(
                AgencySpec(
                    short_name=commune.short_name,
                    name=commune.agency_name,
                    kind=Agency.Kind.WARD if commune.is_ward else Agency.Kind.COMMUNE,
                    parent_body="",
                    head_title="Chủ tịch",
                    document_symbol="UBND",
                    valid_from=JULY,
                    collective_body=True,
                ),
                source=commune.source,
                confirmed=not unconfirmed(commune.source),
                position=position,
            )
            if created:
                agency.former_district = commune.former_district
                agency.formed_from = commune.formed_from
                agency.save(update_fields=["former_district", "formed_from"])
            result.agencies_created += created
        agencies = {a.short_name: a for a in Agency.objects.all()}
        for step in steps:
            if step.action == "continues":
                agency = agencies[step.agencies[0]]
                _note_source(agency, step)
            elif step.action == "gap":
                for key in step.agencies:
                    _record_gap(agencies[key], step, result)
            for predecessor, successor, kind in step.links:
                before = AgencySuccession.objects.filter(
                    predecessor=agencies[predecessor], successor=agencies[successor]
                ).exists()
                agency_reorganise(
                    predecessor=agencies[predecessor],
                    successor=agencies[successor],
                    kind=kind,
                    effective_on=step.effective_on,
                    actor=actor,
                    confirmed=step.confirmed,
                    source=step.source,
                )
                result.successions_created += not before
            if step.action == "districts":
                district = agencies[step.agencies[0]]
                _end(district, step.effective_on)
            elif step.links and step.links[0][2] == AgencySuccession.Kind.SPLIT_INTO:
                predecessor = agencies[step.links[0][0]]
                if predecessor.short_name == BANK_KV6[0]:
                    # The regional branch goes on for other provinces; Hưng Yên's tasks pass to Khu vực 12.
                    assignments_pass_on(predecessor, agencies[step.links[0][1]], step.effective_on)
    return result


def ensure_ministries(actor=None) -> None:
    """The ministry the letter sends the province's report to (task 1.1) and its successor from 01/03/2025."""
    _ministries(actor, Result())


def _ministries(actor, result: Result) -> None:
    from assignments.services import agency_reorganise

    old, created_old = _ensure_agency(
        AgencySpec(*MINISTRY_OLD, kind=Agency.Kind.MINISTRY, parent_body="", head_title="Bộ trưởng"),
        source="Văn bản của UBND tỉnh triển khai Chỉ thị số 44/CT-TTg, nhiệm vụ 1.1: nơi nhận báo cáo của tỉnh",
        confirmed=True,
        position=900,
    )
    new, created_new = _ensure_agency(
        AgencySpec(*MINISTRY_NEW, kind=Agency.Kind.MINISTRY, parent_body="", head_title="Bộ trưởng"),
        source=MINISTRY_SOURCE, confirmed=True, position=901,
    )
    result.agencies_created += created_old + created_new
    before = AgencySuccession.objects.filter(predecessor=old, successor=new).exists()
    agency_reorganise(predecessor=old, successor=new, kind=AgencySuccession.Kind.MERGED_INTO, effective_on=MARCH,
                      actor=actor, confirmed=True, source=MINISTRY_SOURCE)
    result.successions_created += not before


def _note_source(agency: Agency, step: Step) -> None:
    """A department that goes on under its name: the row is kept as its source, unconfirmed if the data says so."""
    changed = []
    if step.source not in agency.source:
        agency.source = "\n".join(filter(None, [agency.source, step.source]))
        changed.append("source")
    if not step.confirmed and agency.confirmed and "source" in changed:
        agency.confirmed = False
        changed.append("confirmed")
    if changed:
        agency.save(update_fields=changed)


def _record_gap(agency: Agency, step: Step, result: Result) -> None:
    """Merged into a successor the data does not name: the agency ends, the gap is written where an
    administrator sees it, and nothing is guessed."""
    gap = (
        f"Từ {step.effective_on:%d/%m/%Y} hợp nhất vào một cơ quan mà dữ liệu chưa nêu tên ({GAP}); "
        "quản trị viên ghi nhận cơ quan kế thừa khi có quyết định."
    )
    changed = []
    if gap not in agency.note:
        agency.note = "\n".join(filter(None, [agency.note, gap]))
        changed.append("note")
    if agency.confirmed:
        agency.confirmed = False
        changed.append("confirmed")
    if step.source not in agency.source:
        agency.source = "\n".join(filter(None, [agency.source, step.source]))
        changed.append("source")
    if changed:
        agency.save(update_fields=changed)
    _end(agency, step.effective_on)
    result.gaps.append(agency.name)


def _end(agency: Agency, effective_on: datetime.date) -> None:
    last_day = effective_on - datetime.timedelta(days=1)
    if agency.valid_to is None or agency.valid_to > last_day:
        agency.valid_to = last_day
        agency.save(update_fields=["valid_to"])
    Assignment.objects.filter(agency=agency, ended_on__isnull=True).update(ended_on=last_day)
