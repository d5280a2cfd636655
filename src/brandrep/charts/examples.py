"""Small made-up tables in the contract schema (contracts.md), for tests and for trying the charts.

The numbers are invented for layout and behaviour checks (they are NOT findings); the real
tables come from notebooks 01-03 in data/processed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from brandrep.stats.funnel import log_spaced


def claim_shares() -> pd.DataFrame:
    rows = [
        # brand, complaints, exposure measure, exposure share, low, high, rests_on_bound
        ("xiaomi", 110, "retail_volume", 0.11, 0.08, 0.14, False),
        ("xiaomi", 110, "shipments", 0.16, 0.12, 0.19, False),
        ("midea", 70, "retail_volume", 0.12, 0.10, 0.15, False),
        ("gree", 45, "retail_volume", 0.08, 0.06, 0.10, True),
        ("haier", 40, "retail_volume", 0.13, 0.11, 0.15, False),
        ("other", 461, "retail_volume", np.nan, np.nan, np.nan, False),
    ]
    total = 726
    out = []
    for brand, count, measure, m, lo, hi, bound in rows:
        ci = stats.binomtest(count, total).proportion_ci(0.95, method="exact")
        share = count / total
        out.append(dict(platform="消费保", period_start="2024-10-14", period_end="2024-11-11", brand=brand,
                        complaints=count, total=total, share=share, share_low=ci.low, share_high=ci.high,
                        exposure_measure=measure, exposure_share=m, exposure_share_low=lo, exposure_share_high=hi,
                        rate_ratio=share / m if m == m else np.nan, rate_ratio_low=np.nan, rate_ratio_high=np.nan,
                        p_one_sided=np.nan, rests_on_bound=bound))
    return pd.DataFrame(out)


def funnel_tables(dataset: str = "消费保 2024-01-01..2024-12-31 vs shipments", brands=("xiaomi", "midea", "gree", "haier", "lockin")):
    expected = np.array([80.0, 95.0, 60.0, 50.0, 20.0][: len(brands)])
    observed = np.array([110, 70, 45, 40, 25][: len(brands)], dtype=float)
    ratio = observed / expected
    z_plain = (observed - expected) / np.sqrt(expected)
    phi, tau2 = 2.4, 0.04
    z_adj = (ratio - 1) / np.sqrt(1 / expected + tau2)
    points = pd.DataFrame(dict(dataset=dataset, unit=list(brands), observed=observed,
                               exposure=expected * 1000,
                               expected=expected, ratio=ratio, z_plain=z_plain, z_adjusted=z_adj))
    grid = log_spaced(2000, 260000, 60)  # exposure (units); expected = exposure / 1000 here
    rows = dict(dataset=dataset, exposure=grid, target=1.0)
    for level, z in (("95", 1.96), ("998", 3.09)):
        s = np.sqrt(1000 / grid)
        rows[f"lower_{level}"] = np.clip(1 - z * s, 0, None)
        rows[f"upper_{level}"] = 1 + z * s
        s_adj = np.sqrt(1000 / grid + tau2)
        rows[f"lower_{level}_adj"] = np.clip(1 - z * s_adj, 0, None)
        rows[f"upper_{level}_adj"] = 1 + z * s_adj
    limits = pd.DataFrame({**rows, "phi": phi, "tau2": tau2})
    return points, limits


def tipping_point() -> tuple[pd.DataFrame, pd.DataFrame]:
    grid = np.round(np.arange(0.05, 0.2501, 0.005), 4)
    n, x = 726, 110
    r = (x / n) / grid
    ci = stats.binomtest(x, n).proportion_ci(0.95, method="exact")
    p_bin = np.array([stats.binomtest(x, n, m, alternative="greater").pvalue for m in grid])
    phi = 1.8
    z = (x - n * grid) / np.sqrt(n * grid * (1 - grid) * phi)
    p_over = stats.norm.sf(z)
    curve = pd.DataFrame(dict(brand="xiaomi", exposure_share=grid, rate_ratio=r, rate_ratio_low=ci.low / grid,
                              rate_ratio_high=ci.high / grid, p_binomial=p_bin, p_overdispersed=p_over, phi=phi))
    markers = pd.DataFrame(dict(brand="xiaomi", label=["retail_volume", "shipments"],
                                exposure_share=[0.11, 0.16]))
    return curve, markers


def r_simulation(draws: int = 2000) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    r = rng.lognormal(mean=np.log(1.15), sigma=0.18, size=draws)
    return pd.DataFrame(dict(draw=np.arange(1, draws + 1), rate_ratio=r, flagged=r > 1.3))


def topics_by_brand() -> pd.DataFrame:
    topics = ["after_sales", "installation", "quality_breakage", "delivery", "refund_price"]
    counts = {"xiaomi": [40, 22, 30, 8, 12], "midea": [20, 15, 18, 6, 9], "gree": [12, 9, 14, 3, 5]}
    n_texts = {"xiaomi": 90, "midea": 55, "gree": 35}
    rows = []
    for brand, tagged in counts.items():
        for topic, k in zip(topics, tagged):
            n = n_texts[brand]
            ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
            rows.append(dict(brand=brand, topic=topic, n_texts=n, n_tagged=k, share=k / n,
                             share_low=ci.low, share_high=ci.high))
    return pd.DataFrame(rows)


def sentiment_by_brand() -> pd.DataFrame:
    return pd.DataFrame(dict(brand=["xiaomi", "midea", "gree", "haier"], n=[90, 55, 35, 30],
                             mean=[0.21, 0.26, 0.24, 0.31], mean_low=[0.16, 0.19, 0.15, 0.21],
                             mean_high=[0.26, 0.33, 0.33, 0.41]))


def claims_ledger() -> pd.DataFrame:
    return pd.DataFrame([
        dict(claim_id="C1", claim="Xiaomi led the platform's home-appliance complaints in the Double-11 window.",
             data_used="complaints", test="exact binomial interval", estimate=0.1515, interval_low=0.1262,
             interval_high=0.1797, verdict="supported", assumptions="platform attribution rules", rests_on_bound=False),
        dict(claim_id="C2", claim="Xiaomi's complaints are more than its sales volume explains.",
             data_used="complaints, denominators", test="rate ratio, one-sided", estimate=1.2, interval_low=0.9,
             interval_high=1.5, verdict="inconclusive", assumptions="exposure share between 11% and 16%",
             rests_on_bound=False),
        dict(claim_id="C3", claim="Xiaomi has shipped over 7 million smart locks.", data_used="figures",
             test="source check", estimate=7_000_000, interval_low=np.nan, interval_high=np.nan,
             verdict="partly supported", assumptions="lower bound only", rests_on_bound=True),
        dict(claim_id="C4", claim="High sales come with low reputation.", data_used="complaints, sentiment",
             test="sentiment by brand", estimate=-0.05, interval_low=-0.12, interval_high=0.02,
             verdict="not supported", assumptions="labelled sample", rests_on_bound=False),
    ])


def write_example_tables(folder) -> list:
    """Write every chart input table (made-up numbers) into ``folder`` as notebooks 01-03 would."""
    from pathlib import Path

    from brandrep.io.writing import write_table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    points, limits = funnel_tables()
    dot_points, dot_limits = funnel_tables("us_dot_denied_boarding_2016",
                                           ("Delta", "United", "JetBlue", "Spirit", "Hawaiian"))
    curve, markers = tipping_point()
    tables = {
        "claim_shares": claim_shares(),
        "funnel_points": pd.concat([dot_points, points], ignore_index=True),
        "funnel_limits": pd.concat([dot_limits, limits], ignore_index=True),
        "tipping_point": curve,
        "exposure_markers": markers,
        "r_simulation": r_simulation(),
        "topics_by_brand": topics_by_brand(),
        "sentiment_by_brand": sentiment_by_brand(),
        "claims_ledger": claims_ledger(),
    }
    written = []
    for stem, frame in tables.items():
        written += write_table(frame, folder / stem)
    return written
