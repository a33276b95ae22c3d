"""Full-text queries: FTS5 on SQLite, tsvector on PostgreSQL, same user-facing meaning.

A user's words are never passed through as query syntax: each word becomes a quoted
term, all must match, so ``/news "AI" OR (`` cannot break the query.
"""

from __future__ import annotations

import re

from sqlalchemy import TextClause, text

_WORD = re.compile(r"\w+", re.UNICODE)


def words(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)][:12]


def fts_statement(
    dialect: str, query: str, limit: int
) -> tuple[TextClause, dict[str, object]] | None:
    """SQL returning matching article ids best first, or None when the query has no words."""
    terms = words(query)
    if not terms:
        return None
    if dialect == "sqlite":
        match = " ".join(f'"{t}"' for t in terms)
        sql = text(
            "SELECT id FROM articles_fts WHERE articles_fts MATCH :q "
            "ORDER BY bm25(articles_fts, 0.0, 4.0, 4.0, 1.0) LIMIT :limit"
        )
        return sql, {"q": match, "limit": limit}
    sql = text(
        "SELECT id FROM articles WHERE search @@ plainto_tsquery('english', :q) "
        "ORDER BY ts_rank(search, plainto_tsquery('english', :q)) DESC LIMIT :limit"
    )
    return sql, {"q": " ".join(terms), "limit": limit}
