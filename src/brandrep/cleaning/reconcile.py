"""Share + total -> the integer complaint counts that reproduce the share at its stated precision.

docs/methods.md section 0: "15.15% of 726" is a share; the count behind it is whatever whole number
of complaints, divided by 726 and rounded to two decimals, gives 15.15 -- here only 110
(109.95 <= c <= 110.03). A share written with fewer decimals admits several counts
("14.31% of 25,248" -> 3612..3614), and a share no whole number reproduces is an error in the
source or the transcription, not something to round away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from brandrep.errors import InputError
from brandrep.numbers import Quantity


@dataclass(frozen=True)
class CountRange:
    low: int
    high: int | None  # None: no upper end known

    @property
    def unique(self) -> int | None:
        return self.low if self.high == self.low else None


def _d(value: float) -> Decimal:
    return Decimal(str(float(value)))


def _ceil(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_CEILING))


def _floor(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def share_in_percent(share: Quantity) -> Quantity:
    """A share as percent; per mille is divided by ten. Any other unit is not a share."""
    if share.unit in ("%", ""):
        return share
    if share.unit == "‰":
        tenth = lambda v: None if v is None else float(_d(v) / 10)  # noqa: E731
        return Quantity(share.raw, tenth(share.value), tenth(share.value_low), tenth(share.value_high),
                        share.qualifier, "%", share.decimals + 1, share.scale)
    raise InputError(f"a share must be written in % or ‰, not {share.unit!r} ({share.raw!r})")


def counts_for_share(share: Quantity, total: int) -> CountRange:
    """Every integer count c with c/total reproducing ``share`` (in percent) as the source wrote it."""
    share = share_in_percent(share)
    if total <= 0:
        raise InputError(f"total must be a positive count, got {total}")
    lowest = share.value_low if share.value_low is not None else share.value
    highest = share.value_high if share.value_high is not None else share.value
    if (lowest is not None and lowest < 0) or (highest is not None and highest > 100):
        raise InputError(f"impossible share {share.raw!r}: a share lies between 0% and 100%")
    half = share.half_unit
    n = Decimal(total)
    if share.qualifier in ("exact", "approximate", "range"):
        low_edge = _d(share.value_low if share.qualifier == "range" else share.value) - half
        high_edge = _d(share.value_high if share.qualifier == "range" else share.value) + half
        low, high = max(0, _ceil(low_edge * n / 100)), min(total, _floor(high_edge * n / 100))
    elif share.qualifier == "lower_bound":
        low, high = max(0, _ceil(_d(share.value) * n / 100)), total
    elif share.qualifier == "upper_bound":
        low, high = 0, min(total, _floor(_d(share.value) * n / 100))
    else:  # pragma: no cover - parse_quantity yields only the qualifiers above
        raise InputError(f"cannot reconcile a share qualified as {share.qualifier}")
    if low > high:
        raise InputError(f"no whole number of complaints out of {total} gives {share.raw} "
                         f"(at {share.decimals} decimal places the count would lie between "
                         f"{float(low_edge * n / 100):.3f} and {float(high_edge * n / 100):.3f})")
    return CountRange(low, high)


def share_lower_edge(share: Quantity) -> Decimal:
    """The smallest share (percent) the written figure allows: used to test sums above 100%."""
    share = share_in_percent(share)
    if share.qualifier == "upper_bound":
        return Decimal(0)
    if share.qualifier == "lower_bound":
        return _d(share.value)
    base = share.value_low if share.qualifier == "range" else share.value
    return max(Decimal(0), _d(base) - share.half_unit)


def as_count(quantity: Quantity, what: str) -> int:
    """A count must be a non-negative whole number of complaints."""
    if quantity.qualifier == "range":
        raise InputError(f"{what} {quantity.raw!r} is a range; write the two ends as a share range or split the row")
    if quantity.unit not in ("", "件", "条", "个", "次", "units"):
        raise InputError(f"{what} {quantity.raw!r} is in {quantity.unit!r}, not a count of complaints")
    value = quantity.value
    if value is None or not math.isfinite(value) or value != int(value):
        raise InputError(f"{what} {quantity.raw!r} is not a whole number")
    if value < 0:
        raise InputError(f"{what} {quantity.raw!r} is negative")
    return int(value)
