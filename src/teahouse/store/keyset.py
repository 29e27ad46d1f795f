"""Keyset pagination, newest first: the query half of domain/cursors.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar, TypeVarTuple

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from teahouse.domain.cursors import Cursor

Row = TypeVarTuple("Row")
T = TypeVar("T")


def newest_first(
    stmt: Select[*Row],
    created: InstrumentedAttribute[datetime],
    ident: InstrumentedAttribute[str],
    cursor: Cursor | None,
    limit: int,
) -> Select[*Row]:
    """``stmt`` narrowed to the rows after ``cursor`` in the order ``created DESC, id
    DESC``, one row more than a page, so that :func:`split_page` can tell whether
    another page follows."""
    if cursor is not None:
        stmt = stmt.where(
            or_(
                created < cursor.created_at,
                and_(created == cursor.created_at, ident < cursor.id),
            )
        )
    return stmt.order_by(created.desc(), ident.desc()).limit(limit + 1)


def split_page(rows: Sequence[T], limit: int) -> tuple[list[T], bool]:
    """The page's rows, and whether there are more after them."""
    return list(rows[:limit]), len(rows) > limit
