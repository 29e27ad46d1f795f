"""Every code the server can send has a sentence in the web client's one table
(frontend/src/lib/error-messages.ts), and docs/ERRORS.md lists them all.

The codes are collected from the server's own enums (``ErrorCode``, which the HTTP
API and the WebSocket both answer with, and ``CloseCode``), never from a hand-kept
list, so a code added on the server fails here until the client can word it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from teahouse.errors import CloseCode, ErrorCode

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "frontend" / "src" / "lib" / "error-messages.ts"
DOC = ROOT / "docs" / "ERRORS.md"
PROTOCOL = ROOT / "docs" / "PROTOCOL.md"
# The transport's own close (a frame far over the size limit), no CloseCode behind it.
STANDARD_CLOSES = {1009}


def client_table(name: str) -> dict[str, str]:
    """The entries of ``export const NAME ... = { ... };`` in error-messages.ts."""
    source = TABLE.read_text()
    body = source.split(f"export const {name}", 1)[1].split("\n};", 1)[0]
    entries: dict[str, str] = {}
    entry = r'^\s+([a-z_0-9]+): ("(?:[^"\\]|\\.)*"|[A-Z_.a-z]+),$'
    for key, value in re.findall(entry, body, re.M):
        entries[key] = json.loads(value) if value.startswith('"') else value
    return entries


def resolved(table: dict[str, str]) -> dict[str, str]:
    """Entries that name another table's entry (``CLIENT_MESSAGES.x``) replaced by its text."""
    client = client_table("CLIENT_MESSAGES")
    return {
        key: client[value.split(".", 1)[1]] if value.startswith("CLIENT_MESSAGES.") else value
        for key, value in table.items()
    }


def doc_rows(heading: str) -> list[list[str]]:
    section = DOC.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ")
    ]
    return rows[1:]  # the header row


def websocket_codes() -> set[str]:
    section = PROTOCOL.read_text().split("\n## Error codes\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))


def test_the_client_has_a_sentence_for_every_error_code_and_no_other() -> None:
    table = client_table("ERROR_MESSAGES")
    assert sorted(set(ErrorCode) - set(table)) == []
    assert sorted(set(table) - set(ErrorCode)) == []
    assert [code for code, text in table.items() if len(text) < 10] == []


def test_the_client_has_a_sentence_for_every_close_code() -> None:
    table = resolved(client_table("CLOSE_MESSAGES"))
    expected = {str(int(code)) for code in CloseCode} | {str(c) for c in STANDARD_CLOSES}
    assert set(table) == expected


def test_the_client_has_one_generic_sentence_for_unknown_codes() -> None:
    source = TABLE.read_text()
    assert re.search(r'^export const GENERIC_MESSAGE = "[^"]{10,}";$', source, re.M)
    assert "return GENERIC_MESSAGE;" in source


def test_docs_list_every_error_code_with_its_status_and_the_clients_sentence() -> None:
    table = client_table("ERROR_MESSAGES")
    on_socket = websocket_codes()
    rows = doc_rows("Error codes")
    assert [row[0] for row in rows] == [code.value for code in ErrorCode]
    for code, status, socket, text in rows:
        assert int(status) == ErrorCode(code).status, code
        assert (socket == "yes") == (code in on_socket), code
        assert text == table[code], code


def test_docs_list_every_close_code_with_the_clients_sentence() -> None:
    table = resolved(client_table("CLOSE_MESSAGES"))
    rows = doc_rows("Close codes")
    assert {row[0] for row in rows} == set(table)
    for code, _name, text in rows:
        assert text == table[code], code
