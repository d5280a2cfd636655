"""Parse figures as Chinese sources write them: "超过15.8万", "1747万套", "10.86亿元", "699至3299元".

Why: the claim rests on numbers that come as lower bounds, approximations, ranges and shares
(docs/methods.md sections 0 and 6: a figure written as a floor, such as 超680万, stays a floor). A parsed value therefore always
carries its *qualifier* (exact, lower_bound, upper_bound, approximate, range) and the precision it
was written at, so that a lower bound never turns into an exact number downstream and a share can
be reconciled with a total at its stated precision (15.15% of 726 -> 110).

Arithmetic is done in :class:`decimal.Decimal`, so "10.86亿" is exactly 1086000000, not
1086000000.0000001. Anything that cannot be read -- an unknown unit, a malformed number, an
impossible date -- raises :class:`~brandrep.errors.InputError` naming the text.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from brandrep.errors import InputError

QUALIFIERS = ("exact", "lower_bound", "upper_bound", "approximate", "range", "forecast", "estimate")

# Words written before a number, longest first so "不超过" wins over "超过".
_PREFIX_QUALIFIERS = {
    "不超过": "upper_bound", "不高于": "upper_bound", "不多于": "upper_bound",
    "不少于": "lower_bound", "不低于": "lower_bound",
    "超过": "lower_bound", "突破": "lower_bound", "多于": "lower_bound", "大于": "lower_bound",
    "高于": "lower_bound", "至少": "lower_bound", "逾": "lower_bound", "超": "lower_bound",
    "more than": "lower_bound", "exceeding": "lower_bound", "exceed": "lower_bound", "over": "lower_bound", "at least": "lower_bound",
    ">=": "lower_bound", "≥": "lower_bound", ">": "lower_bound",
    "不足": "upper_bound", "低于": "upper_bound", "少于": "upper_bound", "不到": "upper_bound",
    "小于": "upper_bound", "最多": "upper_bound", "less than": "upper_bound", "under": "upper_bound",
    "<=": "upper_bound", "≤": "upper_bound", "<": "upper_bound",
    "约为": "approximate", "大约": "approximate", "将近": "approximate", "接近": "approximate",
    "约": "approximate", "近": "approximate", "about": "approximate", "approx.": "approximate",
    "approximately": "approximate", "around": "approximate", "nearly": "approximate", "~": "approximate",
}
# Written right after the number (before the unit): "三千多条", "两百多项", "200+".
_INNER_SUFFIX_QUALIFIERS = {"多": "lower_bound", "余": "lower_bound", "+": "lower_bound"}
# Written after the unit: "700万件以上", "1000万台左右".
_SUFFIX_QUALIFIERS = {
    "以上": "lower_bound", "以下": "upper_bound", "左右": "approximate", "上下": "approximate",
    "有余": "lower_bound",
}

# Scale words after an Arabic number.
_MULTIPLIERS = {
    "万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8, "億": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4, "萬": Decimal(10) ** 4,
    "千": Decimal(1000), "百": Decimal(100),
    "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "thousand": Decimal(1000),
    "bn": Decimal(10) ** 9,
}

# Written unit -> canonical unit. Counting words keep their classifier (套 = sets, 台 = machines),
# because what is counted matters; money becomes 元, shares % or ‰.
UNITS = {
    "": "",
    "%": "%", "percent": "%", "pct": "%", "per cent": "%", "百分点": "percentage_points",
    "‰": "‰", "permille": "‰",
    "元": "元", "yuan": "元", "cny": "元", "rmb": "元",
    "元/套": "元/套", "元/台": "元/台", "元/件": "元/件", "cny per unit": "元/件",
    "件": "件", "套": "套", "台": "台", "条": "条", "个": "个", "项": "项", "次": "次", "家": "家",
    "户": "户", "人": "人", "款": "款", "辆": "辆", "部": "部", "年": "年",
    "units": "units", "unit": "units", "sets": "套", "set": "套", "complaints": "件",
    "pp100": "PP100",
}
_CURRENCY_PREFIXES = ("cny", "rmb", "¥")  # "CNY365.9 billion", "¥1,144" (other currencies: unknown)

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_SMALL, *_CN_BIG])

_ARABIC = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")
_CHINESE = re.compile(f"[{_CN_CHARS}]+")
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|–|—|-)\s*")


@dataclass(frozen=True)
class Quantity:
    """A parsed figure. ``value`` is None for a range; bounds are None where the source gives none."""

    raw: str
    value: float | None
    value_low: float | None
    value_high: float | None
    qualifier: str
    unit: str
    decimals: int = 0          # decimal places of the number as written ("15.15" -> 2)
    scale: Decimal = Decimal(1)  # multiplier applied ("万" -> 10000)

    @property
    def half_unit(self) -> Decimal:
        """Half of the last written digit, in value units: the rounding the source may have done."""
        return Decimal(5) * Decimal(10) ** (-self.decimals - 1) * self.scale

    @property
    def is_bound(self) -> bool:
        return self.qualifier in ("lower_bound", "upper_bound")


def normalize_text(text: str) -> str:
    """NFKC folds full-width digits and punctuation (１２３，４５６ -> 123,456, ％ -> %)."""
    folded = unicodedata.normalize("NFKC", str(text)).replace("\u2212", "-")  # U+2212 minus sign
    return re.sub(r"\s+", " ", folded).strip()


def chinese_to_int(text: str) -> int:
    """Read a Chinese numeral: "三千" -> 3000, "一万二千" -> 12000, "二〇二四" -> 2024."""
    if not text or any(ch not in _CN_CHARS for ch in text):
        raise InputError(f"not a Chinese numeral: {text!r}")
    if all(ch in _CN_DIGITS for ch in text):  # digit by digit, as years are written
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, number, last_big = 0, 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (number or 1) * _CN_SMALL[ch]  # "十五": a bare 十 means 10
            number = 0
        else:
            big = _CN_BIG[ch]
            section += number
            if last_big and big > last_big:  # "三万亿": 亿 scales everything before it
                total = (total + section) * big
            else:
                total += section * big
            last_big = big
            section, number = 0, 0
    return total + section + number


def _take_prefix(text: str, table: dict[str, str]) -> tuple[str, str | None]:
    lowered = text.lower()
    for word in sorted(table, key=len, reverse=True):
        if lowered.startswith(word):
            return text[len(word):].lstrip(), table[word]
    return text, None


def _take_suffix(text: str, table: dict[str, str]) -> tuple[str, str | None]:
    for word in sorted(table, key=len, reverse=True):
        if text.endswith(word):
            return text[: -len(word)].rstrip(), table[word]
    return text, None


def _canonical_unit(written: str, raw: str) -> str:
    key = written.strip().lower()
    if key in UNITS:
        return UNITS[key]
    raise InputError(f"unknown unit {written.strip()!r} in {raw!r} (known: "
                     + ", ".join(sorted(k for k in set(UNITS.values()) if k)) + ")")


def _parse_single(text: str, raw: str, default_unit: str) -> Quantity:
    qualifiers = []
    rest, q = _take_prefix(text, _PREFIX_QUALIFIERS)
    if q:
        qualifiers.append(q)
    rest, q = _take_suffix(rest, _SUFFIX_QUALIFIERS)
    if q:
        qualifiers.append(q)
    unit_from_text = ""
    for prefix in _CURRENCY_PREFIXES:
        if rest.lower().startswith(prefix):
            rest, unit_from_text = rest[len(prefix):].lstrip(), "元"
            break
    rest, q = _take_prefix(rest, _PREFIX_QUALIFIERS)  # "¥ over 5" is rare but "约¥5" is not
    if q:
        qualifiers.append(q)

    match = _ARABIC.match(rest)
    if match:
        digits = match.group(0)
        try:
            number = Decimal(digits.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid forms
            raise InputError(f"cannot read the number in {raw!r}") from exc
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        rest = rest[match.end():].lstrip()
        if rest and (rest[0].isdigit() or rest[0] in ",."):
            raise InputError(f"cannot read the number in {raw!r} (malformed digits or separators)")
        scale = Decimal(1)
        for word in sorted(_MULTIPLIERS, key=len, reverse=True):
            if word.isascii():
                hit = re.match(rf"{word}\b", rest, flags=re.IGNORECASE)
                if hit:
                    scale, rest = _MULTIPLIERS[word], rest[hit.end():].lstrip()
                    break
            elif rest.startswith(word):
                scale, rest = _MULTIPLIERS[word], rest[len(word):].lstrip()
                break
    else:
        cn = _CHINESE.match(rest)
        if not cn:
            raise InputError(f"no number found in {raw!r}")
        number, decimals, scale = Decimal(chinese_to_int(cn.group(0))), 0, Decimal(1)
        rest = rest[cn.end():].lstrip()

    rest, q = _take_prefix(rest, _INNER_SUFFIX_QUALIFIERS)
    if q:
        qualifiers.append(q)
    rest, q = _take_suffix(rest, _SUFFIX_QUALIFIERS)
    if q:
        qualifiers.append(q)
    if unit_from_text and rest.lower() in ("", "元", "yuan"):
        unit = "元"
    elif unit_from_text:  # "CNY 682 per unit"; anything else after a currency is unknown
        unit = _canonical_unit(f"cny {rest}", raw)
    else:
        unit = _canonical_unit(rest, raw) if rest else ""
    if default_unit:
        expected = _canonical_unit(default_unit, raw)
        if unit and unit != expected and not (expected == "units" or unit == "units"):
            raise InputError(f"unit {unit!r} written in {raw!r} contradicts the unit column {default_unit!r}")
        unit = unit or expected
    if len(set(qualifiers)) > 1:
        raise InputError(f"contradictory qualifiers in {raw!r}: {', '.join(qualifiers)}")
    qualifier = qualifiers[0] if qualifiers else "exact"
    value = float(number * scale)
    low = value if qualifier in ("exact", "lower_bound") else None
    high = value if qualifier in ("exact", "upper_bound") else None
    return Quantity(raw, value, low, high, qualifier, unit, decimals, scale)


def _split_scaled_unit(unit: str) -> tuple[str, str]:
    """"亿元" -> ("亿", "元"); "件" -> ("", "件")."""
    unit = normalize_text(unit or "")
    for word in sorted((w for w in _MULTIPLIERS if not w.isascii()), key=len, reverse=True):
        if unit.startswith(word) and len(unit) > len(word):
            return word, unit[len(word):]
    return "", unit


def _split_range(text: str) -> tuple[str, str] | None:
    """Split "699-3299" / "699元至3299元"; a leading minus ("-3%") is a sign, not a range."""
    for match in _RANGE_SEP.finditer(text):
        left, right = text[: match.start()], text[match.end():]
        if left and right and re.search(r"[\d" + _CN_CHARS + r"]", left) and re.search(r"[\d" + _CN_CHARS + r"]", right):
            if match.group(0).strip() == "-" and not re.search(r"[\d" + _CN_CHARS + r"%元套台件条]\s*$", left):
                continue
            return left, right
    return None


def parse_quantity(text, *, unit: str = "") -> Quantity:
    """Parse one written figure; ``unit`` is the unit to assume when the text names none.

    ``unit`` may carry a scale, as tables often do in their header ("亿元", "万台"): a bare
    number is then scaled ("10307" with unit "亿元" is 1030700000000 元).

    >>> parse_quantity("超过15.8万").value, parse_quantity("超过15.8万").qualifier
    (158000.0, 'lower_bound')
    """
    scale_word, base_unit = _split_scaled_unit(unit)
    if scale_word:
        bare = parse_quantity(text)
        if bare.scale != 1 or bare.unit:  # the text states its own scale or unit
            return parse_quantity(text, unit=base_unit)
        factor = _MULTIPLIERS[scale_word]
        scaled = lambda v: None if v is None else float(Decimal(str(v)) * factor)  # noqa: E731
        return replace(bare, value=scaled(bare.value), value_low=scaled(bare.value_low),
                       value_high=scaled(bare.value_high), unit=_canonical_unit(base_unit, str(text)),
                       scale=factor)
    if text is None:
        raise InputError("empty value")
    raw = str(text)
    clean = normalize_text(raw)
    if not clean:
        raise InputError("empty value")
    clean = clean.removeprefix("从").strip()
    parts = _split_range(clean)
    if parts is None:
        return _parse_single(clean, raw, unit)
    left_text, right_text = parts
    right = _parse_single(right_text, raw, unit)
    left = _parse_single(left_text, raw, unit)
    if left.scale == 1 and right.scale != 1 and left.value <= right.value / float(right.scale):
        # "3-5万" means 3万 to 5万: a scale written once applies to both ends.
        scaled = float(Decimal(str(left.value)) * right.scale)
        left = replace(left, value=scaled, value_low=scaled, value_high=scaled, scale=right.scale)
    if left.unit != right.unit and left.unit and right.unit:
        raise InputError(f"the two ends of the range {raw!r} have different units ({left.unit}, {right.unit})")
    if left.qualifier != "exact" or right.qualifier != "exact":
        raise InputError(f"a range cannot carry a bound or approximation: {raw!r}")
    if left.value > right.value:
        raise InputError(f"range {raw!r} runs backwards ({left.value} > {right.value})")
    return Quantity(raw, None, left.value, right.value, "range", right.unit or left.unit,
                    max(left.decimals, right.decimals), right.scale)


# ----------------------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class DateSpan:
    """A written date at its precision: "2024年12月" covers 2024-12-01 to 2024-12-31."""

    raw: str
    start: _dt.date
    end: _dt.date
    precision: str  # day | month | quarter | half | year
    qualifier: str = "exact"  # or approximate ("2024-12 (approx, before 2024-12-26)")

    def iso(self) -> str:
        """The date at the precision it was written: 2024-12-09, 2024-12 or 2024."""
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return self.start.strftime("%Y-%m")
        if self.precision == "year" and self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _month_end(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text) -> DateSpan:
    """Read "2024年12月9日", "2024-12-09", "2024/12/9", "2024年12月", "2024-12", "2024", "2023 H2",
    "2025Q1", "2019-2020" and the same with a note in brackets ("2024-12 (approx)")."""
    if text is None or not normalize_text(text):
        raise InputError("empty date")
    raw = str(text)
    clean = normalize_text(raw)
    qualifier = "exact"
    note = ""
    bracket = re.search(r"\(([^)]*)\)", clean)
    if bracket:
        note = bracket.group(1).lower()
        clean = (clean[: bracket.start()] + clean[bracket.end():]).strip()
        if any(word in note for word in ("approx", "undated", "约", "左右", "before", "after")):
            qualifier = "approximate"
    clean = clean.rstrip("日号").strip()
    try:
        if m := re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", clean):
            day = _dt.date(int(m[1]), int(m[2]), int(m[3]))
            return DateSpan(raw, day, day, "day", qualifier)
        if m := re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", clean):
            year, month = int(m[1]), int(m[2])
            return DateSpan(raw, _dt.date(year, month, 1), _month_end(year, month), "month", qualifier)
        half = re.fullmatch(r"(\d{4})\s*年?\s*(?:H([12])|(上|下)半年)", clean)
        if not half and note and (h := re.fullmatch(r"h([12])", note.strip())) and re.fullmatch(r"\d{4}", clean):
            half = re.fullmatch(r"(\d{4})", clean)
            which = int(h[1])
        elif half:
            which = int(half[2]) if half[2] else (1 if half[3] == "上" else 2)
        if half:
            year = int(half[1])
            start_month = 1 if which == 1 else 7
            return DateSpan(raw, _dt.date(year, start_month, 1), _month_end(year, start_month + 5), "half",
                            "exact" if qualifier == "exact" or note.strip().startswith("h") else qualifier)
        if m := re.fullmatch(r"(\d{4})\s*年?\s*(?:Q([1-4])|第([一二三四])季度)", clean, flags=re.IGNORECASE):
            quarter = int(m[2]) if m[2] else "一二三四".index(m[3]) + 1
            start_month = 3 * (quarter - 1) + 1
            return DateSpan(raw, _dt.date(int(m[1]), start_month, 1), _month_end(int(m[1]), start_month + 2),
                            "quarter", qualifier)
        if m := re.fullmatch(r"(\d{4})\s*年?", clean):
            year = int(m[1])
            return DateSpan(raw, _dt.date(year, 1, 1), _dt.date(year, 12, 31), "year", qualifier)
        if m := re.fullmatch(r"(\d{4})\s*年?\s*(?:-|至|到|–)\s*(\d{4})\s*年?", clean):
            first, last = int(m[1]), int(m[2])
            if first <= last:
                return DateSpan(raw, _dt.date(first, 1, 1), _dt.date(last, 12, 31), "year", qualifier)
    except ValueError as exc:
        raise InputError(f"impossible date {raw!r}: {exc}") from exc
    raise InputError(f"cannot read the date {raw!r} (expected forms like 2024-12-09, 2024年12月9日, 2024/12/9, 2024-12, 2024)")
