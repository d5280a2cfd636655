"""The data dictionary: every column of every processed table, its type and meaning.

One source for three things: the pandera schemas that check the tables before they are written
(:mod:`brandrep.cleaning.schemas`), the Frictionless ``datapackage.json`` that describes them, and
the column order of the written files (contracts.md).
"""

from __future__ import annotations

QUALIFIERS = ("exact", "lower_bound", "upper_bound", "approximate", "range", "forecast", "estimate")
MEASURES = ("shipments", "retail_volume", "odm_volume", "revenue", "installed_base", "retail_share",
            "market_volume")
CONFIDENCE = ("high", "medium", "low")

# column -> (frictionless type, description)
TABLES: dict[str, dict] = {
    "figures": {
        "description": "One row per sourced number, transcribed from data/raw/figures.csv and parsed; "
                       "raw_value keeps the source's own writing, qualifier says whether it is exact or a bound.",
        "columns": {
            "figure_id": ("string", "Identifier of the figure in data/raw/figures.csv (S = newspaper page)."),
            "metric": ("string", "What the number measures (snake_case)."),
            "entity": ("string", "Who or what the number is about, in the project's words."),
            "brand": ("string", "Canonical brand key from brand_aliases.csv; 'all' for market or platform totals; "
                                "an unknown name is kept as written."),
            "platform": ("string", "Complaint platform the number comes from, if any."),
            "raw_value": ("string", "The value exactly as the source writes it (e.g. 超过15.8万, 10.86亿元)."),
            "value": ("number", "Parsed value in base units (元, not 亿元; 套, not 万套); empty for a range."),
            "value_low": ("number", "Lowest value consistent with the source; empty if the source gives none "
                                    "(upper bounds, approximations)."),
            "value_high": ("number", "Highest value consistent with the source; empty for lower bounds."),
            "qualifier": ("string", "exact | lower_bound | upper_bound | approximate | range | forecast | estimate."),
            "unit": ("string", "Canonical unit: 件 套 台 条 项 元 元/套 % units PP100 年 ..."),
            "period_start": ("string", "First day the number covers (ISO date); empty if not stated."),
            "period_end": ("string", "Last day the number covers (ISO date); empty if not stated."),
            "as_of_date": ("string", "Date a cumulative number is counted to, at the precision written."),
            "source_name": ("string", "Publisher of the figure (and the repost it was seen through)."),
            "source_url": ("string", "Address of the source; empty for the print newspaper page."),
            "published_date": ("string", "Publication date of the source, at the precision known."),
            "page": ("string", "Page of a print source (A7 for the newspaper)."),
            "confidence": ("string", "high | medium | low: how far the source can be trusted."),
            "note": ("string", "Short caveat in the project's own words."),
        },
    },
    "complaints": {
        "description": "Complaint counts and shares by platform, period, category and brand, reconciled: "
                       "a share and a total become the integer counts that reproduce the share at its stated precision.",
        "columns": {
            "platform": ("string", "Complaint platform (消费保, 黑猫投诉, ...)."),
            "period_start": ("string", "First day counted (ISO date); empty for cumulative counts from the platform's start."),
            "period_end": ("string", "Last day counted (ISO date)."),
            "category": ("string", "Product category or search scope of the count."),
            "brand": ("string", "Canonical brand key."),
            "brand_raw": ("string", "Brand as written in the raw file."),
            "complaints": ("integer", "The count when one number is known (stated, or the only integer reproducing "
                                      "the share); for a bound it is the bound itself, read with qualifier."),
            "complaints_low": ("integer", "Smallest count consistent with the source."),
            "complaints_high": ("integer", "Largest count consistent with the source; empty when unbounded."),
            "share_pct": ("number", "Share of the platform total in percent: as written, or count/total*100."),
            "total": ("integer", "Platform total for the same period and category, if known."),
            "qualifier": ("string", "exact | lower_bound | upper_bound | approximate | range."),
            "source_ids": ("string", "figure_id values of the sources, ';'-separated."),
        },
    },
    "denominators": {
        "description": "Candidate exposure measures (shipments, retail volume, ODM volume, revenue, shares) with "
                       "their basis and scope; series from different publishers count different things and must not be mixed.",
        "columns": {
            "brand": ("string", "Canonical brand key; 'all' for a whole market."),
            "measure": ("string", "shipments | retail_volume | odm_volume | revenue | installed_base | retail_share | market_volume."),
            "category": ("string", "Product category."),
            "value": ("number", "Value in base units; empty for a range."),
            "value_low": ("number", "Lowest value consistent with the source."),
            "value_high": ("number", "Highest value consistent with the source; empty for lower bounds."),
            "qualifier": ("string", "exact | lower_bound | upper_bound | approximate | range | forecast | estimate."),
            "unit": ("string", "Canonical unit (套, 台, 件, 元, %, units)."),
            "basis": ("string", "Who measured it and how (company claim, retail panel, industry body, derived)."),
            "scope": ("string", "Geography, channel and coverage."),
            "period_start": ("string", "First day covered (ISO date)."),
            "period_end": ("string", "Last day covered (ISO date)."),
            "source_ids": ("string", "figure_id values used, ';'-separated."),
            "confidence": ("string", "high | medium | low (the lowest of the sources used)."),
        },
    },
    "rejects": {
        "description": "Every raw row that was not used, with the reason (header present even when empty).",
        "columns": {
            "file": ("string", "Raw file, relative to the project."),
            "line": ("integer", "1-based line in that file (line 1 is the header)."),
            "column": ("string", "Column at fault; empty when the whole row is."),
            "reason": ("string", "Why the row was rejected or set aside."),
            "raw": ("string", "The rejected value or row as read."),
        },
    },
}


def columns(table: str) -> list[str]:
    return list(TABLES[table]["columns"])
