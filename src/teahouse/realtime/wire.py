"""What the messages of both directions share: the ``type`` each class stands for,
the name maps derived from the two unions, and the encoded frame.

Every WebSocket message is a pydantic model with a ``type: Literal[...]`` field. The
classes are listed once, in their direction's discriminated union (``ClientMessage``
in :mod:`~teahouse.realtime.client_messages`, ``ServerMessage`` in
:mod:`~teahouse.realtime.server_messages`); every map from a type name to its class
is derived from those unions here, so no list of messages is written twice.
"""

from __future__ import annotations

from typing import Any, NewType, get_args

from pydantic import BaseModel

# One server message serialised to JSON text, ready for any number of sockets. Only
# ``encode`` (server_messages.py) makes one: a broadcast is serialised once and the
# same text goes to every socket.
Frame = NewType("Frame", str)


def literal_of(model: type[BaseModel], field: str = "type") -> str:
    """The one value of a ``Literal`` field: the ``type`` a message class stands for
    (or, with ``field="op"``, the ``op`` of a delta's change)."""
    (value,) = get_args(model.model_fields[field].annotation)
    if not isinstance(value, str):
        raise TypeError(f"{model.__name__}.{field} is not a string Literal")
    return value


def members(union: Any) -> tuple[type[BaseModel], ...]:
    """The classes of a discriminated union, ``Annotated[A | B | ..., Field(...)]``."""
    inner = get_args(union)[0] if hasattr(union, "__metadata__") else union
    return tuple(get_args(inner))


def by_literal(union: Any, field: str = "type") -> dict[str, type[BaseModel]]:
    """``name -> class`` for every class of a union, keyed by its ``field`` Literal."""
    found: dict[str, type[BaseModel]] = {}
    for model in members(union):
        name = literal_of(model, field)
        if name in found:
            raise TypeError(f"{name!r} names both {found[name].__name__} and {model.__name__}")
        found[name] = model
    return found
