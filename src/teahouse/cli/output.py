"""What the commands print: text that members typed is escaped on its way to the
operator's terminal.

A name, a title or a report is whatever a member sent (or, for rows older than the
checks of ``domain/text.py``, whatever they once could). A terminal obeys ESC
sequences (colours, clearing the screen, setting the window title, on some even
writing to the clipboard), rings at BEL, and lays text out again at a direction
override or a line break. So every line the admin commands print goes through
:func:`shown`: each character that is not printable is written as Python writes it
in a string literal (``\\x1b``, ``\\u202e``, ``\\n``), and a backslash as ``\\\\``,
so what is printed is both harmless and unambiguous.
"""

from __future__ import annotations

import click

_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    if ch == " " or ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(text: str) -> str:
    """``text`` with every character a terminal could act on escaped."""
    return "".join(_escaped(ch) for ch in text)


def say(line: str) -> None:
    """Print one line (which may hold member text) to the terminal, escaped."""
    click.echo(shown(line))
