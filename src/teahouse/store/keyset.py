"""Keyset pagination by ``(created_at, id)``: the query half of domain/cursors.py.

Each function narrows a query to the rows after a :class:`Cursor` and reads one row
more than a page, so that :meth:`Page.of` can tell whether another page follows.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from teahouse.domain.cursors import Cursor

Row = TypeVarTuple("Row")


def newest_first(
    stmt: Select[*Row],
    created: InstrumentedAttribute[datetime],
    ident: InstrumentedAttribute[str],
    cursor: Cursor | None,
    limit: int,
) -> Select[*Row]:
    """``stmt`` after ``cursor`` in the order ``created DESC, id DESC``."""
    if cursor is not None:
        stmt = stmt.where(
            or_(
                created < cursor.created_at,
                and_(created == cursor.created_at, ident < cursor.id),
            )
        )
    return stmt.order_by(created.desc(), ident.desc()).limit(limit + 1)


def oldest_first(
    stmt: Select[*Row],
    created: InstrumentedAttribute[datetime],
    ident: InstrumentedAttribute[str],
    cursor: Cursor | None,
    limit: int,
) -> Select[*Row]:
    """``stmt`` after ``cursor`` in the order ``created, id``."""
    if cursor is not None:
        stmt = stmt.where(
            or_(
                created > cursor.created_at,
                and_(created == cursor.created_at, ident > cursor.id),
            )
        )
    return stmt.order_by(created, ident).limit(limit + 1)
