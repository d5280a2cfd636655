"""Statistics for testing complaint counts against sales volume (notebook 03).

One module per method family: ``proportions`` (exact and simultaneous share intervals),
``rates`` (relative complaint rate, break-even exposure share), ``funnel`` (Spiegelhalter funnel
limits and over-dispersion), ``models`` (count GLMs with exposure, the "just volume" slope test),
``sensitivity`` (tipping-point curve, Monte Carlo over sourced denominator ranges), ``exposure``
(exposure shares from the denominators table), ``ledger`` (the claims ledger) and
``validation`` (the US DOT tables the code is checked against).
"""
