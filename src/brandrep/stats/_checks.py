"""Argument checks shared by the stats modules.

A wrong count or share must stop the analysis with a message that names the parameter (or the
row of a table), before any interval or chart is drawn from it: a share above 100 % or a count
larger than its total would otherwise give a confident-looking but meaningless rate.
"""

from __future__ import annotations

import math
import numbers

from brandrep.errors import ParameterError


def _where(name: str, row=None) -> str:
    return f"{name} (row {row})" if row is not None else name


def check_count(value, name: str, *, row=None) -> int:
    """A non-negative whole number (numpy integers and integral floats such as 110.0 accepted)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{_where(name, row)} must be a whole number, got {value!r} ({type(value).__name__})")
    if isinstance(value, float) or not isinstance(value, numbers.Integral):
        if not math.isfinite(float(value)):
            raise ParameterError(f"{_where(name, row)} is missing or not finite: {value!r}")
        if float(value) != round(float(value)):
            raise ParameterError(f"{_where(name, row)} must be a whole number of complaints, got {value!r}")
    value = int(value)
    if value < 0:
        raise ParameterError(f"{_where(name, row)} must not be negative, got {value}")
    return value


def check_total(count, total, *, count_name: str = "count", total_name: str = "total", row=None):
    """Validate a count out of a total: total > 0 and count <= total. Returns both as ints."""
    total = check_count(total, total_name, row=row)
    if total == 0:
        raise ParameterError(f"{_where(total_name, row)} is zero: a share of nothing is undefined")
    count = check_count(count, count_name, row=row)
    if count > total:
        raise ParameterError(
            f"{_where(count_name, row)} = {count} exceeds {total_name} = {total}: counts cannot exceed their total"
        )
    return count, total


def check_share(value, name: str, *, row=None, allow_zero: bool = False) -> float:
    """A share given as a fraction in (0, 1] (or [0, 1] with allow_zero)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{_where(name, row)} must be a number (a fraction of 1), got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ParameterError(f"{_where(name, row)} is missing or not finite: {value!r}")
    if value > 1:
        raise ParameterError(
            f"{_where(name, row)} = {value!r} is above 100 %; give shares as fractions (0.1515, not 15.15)"
            if value <= 100
            else f"{_where(name, row)} = {value!r} is above 100 %"
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise ParameterError(
            f"{_where(name, row)} = {value!r} must be {'>= 0' if allow_zero else '> 0'}: "
            "a zero exposure share makes the rate ratio undefined"
        )
    return value


def check_alpha(alpha) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < float(alpha) < 1:
        raise ParameterError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")
    return float(alpha)


def check_phi(phi) -> float:
    if isinstance(phi, bool) or not isinstance(phi, numbers.Real) or not math.isfinite(float(phi)) or phi <= 0:
        raise ParameterError(f"phi (over-dispersion factor) must be a positive number, got {phi!r}")
    return float(phi)
