"""brandrep: reproducible brand-reputation analytics (clean, score, chart and test)."""

__version__ = "0.1.0"
