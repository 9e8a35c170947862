"""How Vietnamese administrative documents write names, dates, numbers and signatures (Decree 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

PROVINCE_PLACE = "Hưng Yên"
PEOPLES_COMMITTEE = "Ủy ban nhân dân"
# District-level units: the place on their documents is the name of the district itself.
_DISTRICT_PREFIXES = ("thành phố ", "thị xã ", "huyện ")


def upper(text: str) -> str:
    return (text or "").upper()


def issuer_lines(agency) -> tuple[str, list[str]]:
    """The two parts of a document header: the superior body (regular) and the issuing agency's name (bold).

    People's Committees have no superior line; their name is set on two lines ("ỦY BAN NHÂN DÂN" /
    "HUYỆN VĂN LÂM"). An agency whose name repeats its superior body drops the repetition ("NGÂN HÀNG NHÀ
    NƯỚC VIỆT NAM" over "CHI NHÁNH TỈNH HƯNG YÊN").
    """
    superior = upper(agency.parent_body).strip()
    name = agency.name.strip()
    if not superior and name.lower().startswith(PEOPLES_COMMITTEE.lower()):
        rest = name[len(PEOPLES_COMMITTEE) :].strip()
        return "", [upper(PEOPLES_COMMITTEE), upper(rest)] if rest else [upper(name)]
    name_upper = upper(name)
    if superior and name_upper.startswith(superior):
        rest = name_upper[len(superior) :].strip(" –-,")
        if rest:
            return superior, [rest]
    return superior, [name_upper]


def place_of(agency) -> str:
    """The place name before the date: the province, or for a district-level unit the district's own name."""
    if agency.kind == "district":
        name = agency.name
        lowered = name.lower()
        for prefix in _DISTRICT_PREFIXES:
            index = lowered.find(prefix)
            if index >= 0:
                return name[index + len(prefix) :].strip()
    return PROVINCE_PLACE


def day_month(day: int, month: int) -> tuple[str, str]:
    # Decree 30: days below 10 and the months 1 and 2 are written with a leading zero.
    return f"{day:02d}", (f"{month:02d}" if month < 3 else str(month))


def place_and_date(place: str, date: datetime.date | None, year: int) -> str:
    """ "Hưng Yên, ngày 05 tháng 3 năm 2026"; without a date, the blanks the clerk fills in at registration."""
    if date is None:
        return _("%(place)s, day      month      year %(year)s") % {"place": place, "year": year}
    day, month = day_month(date.day, date.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": day,
        "month": month,
        "year": date.year,
    }


def number_symbol(number: str, symbol: str) -> str:
    """ "Số: …/BC-SCT": before registration the number is left as an ellipsis for the clerk."""
    return _("No.: %(number)s/BC-%(symbol)s") % {"number": (number or "").strip() or "…", "symbol": symbol}


def signature_lines(*, agency, title: str, is_deputy: bool) -> list[str]:
    """The authority lines above the signature.

    A People's Committee signs on behalf of the collective ("TM. ỦY BAN NHÂN DÂN"), its vice-chairman for the
    chairman ("KT. CHỦ TỊCH"); a department's deputy for the director ("KT. GIÁM ĐỐC"). The last line is the
    signatory's own position.
    """
    head = upper(agency.head_title)
    position = upper(title) or head
    lines = []
    if agency.collective_body:
        lines.append(_("ON BEHALF OF %(body)s") % {"body": upper(PEOPLES_COMMITTEE)})
    if is_deputy:
        lines.append(_("FOR %(head)s") % {"head": head})
    lines.append(position)
    return lines


def paragraphs(text: str) -> list[str]:
    """Free text as the paragraphs its author typed (empty lines dropped), without stray spaces."""
    return [tidy(line) for line in re.split(r"\r?\n", text or "") if line.strip()]


_SPACE_BEFORE = re.compile(r"[ \t\u00a0]+(?=[,.;:!?)\]”%])")
_SPACE_AFTER = re.compile(r"(?<=[(\[“])[ \t\u00a0]+")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
# A sentence mark followed by the full stop that closes a joined sentence: "ước tính.." or "như sau:." – but not an
# ellipsis ("...") nor the "./." that ends a document.
_DOUBLED = re.compile(r"(?<!\.)[.;,:]\.(?![./])")
_ENDS_SENTENCE = ".!?…;:"
_CLOSERS = ")]”’\"'»"


def tidy(text: str) -> str:
    """One sentence as Vietnamese typography writes it: no space before punctuation or after an opening bracket,
    single spaces, no doubled punctuation where pieces were joined."""
    text = _SPACES.sub(" ", (text or "").strip())
    text = _SPACE_BEFORE.sub("", text)
    text = _SPACE_AFTER.sub("", text)
    return _DOUBLED.sub(".", text)


def sentence(text: str) -> str:
    """The text closed by a full stop, unless it already ends with a mark of its own ("ước tính." stays)."""
    text = tidy(text)
    if not text or text.rstrip(_CLOSERS)[-1:] in _ENDS_SENTENCE:
        return text
    return text + "."


def sentences(lines: list[str]) -> str:
    """Paragraphs run together in one line: each closed by its own mark, so that none runs into the next."""
    return " ".join(sentence(line) for line in lines if line.strip())


def quantity(value: str, unit: str) -> str:
    """ "1.500 tấn", "12,5%" (a percentage sign is written against the number), or the bare number."""
    value, unit = (value or "").strip(), (unit or "").strip()
    if not value or not unit:
        return value
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


def to_decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def vn_number(value) -> str:
    """1234567.5 → "1.234.567,5" (comma for decimals, dot between thousands), whatever the interface language."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    integer, _dot, fraction = text.partition(".")
    negative = integer.startswith("-")
    integer = integer.lstrip("-")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = ".".join(groups)
    if fraction:
        out += "," + fraction
    return ("-" if negative else "") + out


def percent(part, whole) -> str:
    part, whole = to_decimal(part), to_decimal(whole)
    if part is None or not whole:
        return ""
    return vn_number(round(part * 100 / whole, 1)) + "%"


def iso_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def dmy(value) -> str:
    if isinstance(value, str):
        value = iso_date(value)
    return value.strftime("%d/%m/%Y") if value else ""
