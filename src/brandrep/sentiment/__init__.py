"""Chinese complaint text: SnowNLP's exact sentiment scores, fast, and topic tags.

    from brandrep.sentiment import score_texts
    score_texts(["门锁指纹老是识别不了", "安装师傅很专业"])   # == SnowNLP(t).sentiments, each

See ``engine.py`` (pipeline and exactness), ``textpath.py`` (the compiled path, why numba) and
``model.py`` (SnowNLP's bundled model files as arrays).
"""

from brandrep.sentiment.engine import SentimentEngine, get_engine, score_text, score_texts, segment

__all__ = ["SentimentEngine", "get_engine", "score_text", "score_texts", "segment"]
