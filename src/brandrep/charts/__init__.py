"""Publication charts for editors: one house style, Chinese and English, PNG/SVG/PDF, one gallery.

Importing this package registers the CJK font bundled with mplfonts (Noto Sans CJK SC), so
Chinese labels render on any machine with no system font and nothing downloaded.

    from brandrep import charts
    fig = charts.share_vs_share(claim_shares, lang="zh")          # show inline (notebook 03)
    saved = charts.save_chart(charts.share_vs_share, claim_shares,  # save every format (notebook 04)
                              data_files=["data/processed/claim_shares.csv"])
    charts.write_manifest([saved, ...]); charts.write_gallery([saved, ...])
"""

from brandrep.charts.fonts import register_cjk_font

CJK_FONT_NAME = register_cjk_font()

from brandrep.charts.claims import funnel, r_simulation, share_vs_share, tipping_point  # noqa: E402
from brandrep.charts.gallery import write_gallery  # noqa: E402
from brandrep.charts.ledger import claims_ledger  # noqa: E402
from brandrep.charts.manifest import check_manifest, prune_stale, read_manifest, write_manifest  # noqa: E402
from brandrep.charts.save import SavedChart, save_chart  # noqa: E402
from brandrep.charts.strings import LANGUAGES, label  # noqa: E402
from brandrep.charts.texts import sentiment_by_brand, topics_by_brand  # noqa: E402

__all__ = [
    "CJK_FONT_NAME", "LANGUAGES", "SavedChart", "check_manifest", "claims_ledger", "funnel", "label",
    "prune_stale", "r_simulation", "read_manifest", "save_chart", "sentiment_by_brand", "share_vs_share", "tipping_point", "topics_by_brand",
    "write_gallery", "write_manifest",
]
