"""Every `teahouse ...` command line the README and docs/OPERATIONS.md show is one the
real CLI accepts, written so that it works as typed.

The README speaks to someone in a checkout after `make run`, where the command is
`.venv/bin/teahouse` (not on PATH): each command it shows, in a code block or in a
code span, names that path (or `/opt/teahouse/bin/teahouse`, the wheel install it
describes). docs/OPERATIONS.md names commands in its prose for operators of any
install; the lines meant to be copied, its code blocks, carry a path too. Every one
of them is parsed by the CLI's own click parser: the command path, the options, the
arguments and their types, each choice of a `a|b|c` and each `[optional]` part with
and without it.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from teahouse.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
OPERATIONS = ROOT / "docs" / "OPERATIONS.md"
# How the docs may spell the program: the checkout's, and the wheel install's.
AS_TYPED = (".venv/bin/teahouse", "/opt/teahouse/bin/teahouse")

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`([^`]+)`")
# The program: a path ending in bin/teahouse, or the bare name (not a part of a path
# such as /var/lib/teahouse, nor the system user of `sudo -u teahouse`), followed by
# at least one word.
PROGRAM = re.compile(
    r"(?<![\w./-])(?<!-u )((?:\.venv|/[\w.-]+(?:/[\w.-]+)*)/bin/teahouse|teahouse)(?=[ \t]+\S)"
)
# Where a command's words end: a shell separator, a quote closing around it, a
# parenthesis, or (in the tables of commands) two spaces before a description. (A
# `|` is not an end: the docs write choices as `a|b|c` and pipe nothing into it.)
END = re.compile(r"[;&'\"`()]| {2,}|\t")
# Placeholders the docs use, and a value of the right type for each.
PLACEHOLDERS = {"N": "3", "P": "a good long password", "TEXT": "done", "Q": "ada"}


@dataclass(frozen=True)
class Shown:
    """One command line as a document shows it."""

    where: str
    program: str
    words: str
    in_block: bool

    def __str__(self) -> str:
        return f"{self.where}: {self.program} {self.words}"


def shown_commands(path: Path) -> Iterator[Shown]:
    text = path.read_text()
    for number, block in _numbered(FENCE, text):
        for offset, line in enumerate(block.splitlines()):
            if "-->" in line:  # a diagram's box, not a command
                continue
            line = re.sub(r"(^|\s)#.*$", "", line)  # a shell comment
            yield from _in(line, f"{path.name}:{number + offset}", in_block=True)
    prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for number, span in _numbered(SPAN, prose):
        yield from _in(" ".join(span.split()), f"{path.name}:{number}", in_block=False)


def _numbered(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, str]]:
    for found in pattern.finditer(text):
        yield text.count("\n", 0, found.start(1)) + 1, found.group(1)


def _in(line: str, where: str, *, in_block: bool) -> Iterator[Shown]:
    line = re.sub(r"\$\([^)]*\)", "X", line)  # $(date +%F) and the like
    for found in PROGRAM.finditer(line):
        rest = line[found.end() :]
        words = END.split(rest, maxsplit=1)[0].strip()
        if words:
            yield Shown(where, found.group(1), words, in_block)


def variants(words: str, a_file: Path) -> list[list[str]]:
    """The command lines a shown one stands for: with and without its [optional]
    parts, each choice of an `a|b|c`, placeholders filled in."""
    without = re.sub(r"\s*\[[^\]]*\]", "", words)
    with_all = words.replace("[", "").replace("]", "")
    found = []
    for form in dict.fromkeys((without, with_all)):
        choices = [token.split("|") for token in shlex.split(form)]
        for picked in itertools.product(*choices):
            found.append([_filled(token, a_file) for token in picked])
    return found


def _filled(token: str, a_file: Path) -> str:
    if token == "FILE":
        return str(a_file)
    if re.fullmatch(r"[A-Z][A-Z_]*", token):
        return PLACEHOLDERS.get(token, "ada")
    return token


def parse(words: list[str]) -> None:
    """Parse ``teahouse WORDS`` as the CLI would, without running anything; a
    trailing ``...`` stands for any subcommand of the group before it. Raises what
    click raises for a command line it refuses."""
    command: click.Command = main
    ctx = click.Context(main, info_name="teahouse")
    more = words[-1:] == ["..."]
    words = words[:-1] if more else words
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        name, *words = words
        sub = command.get_command(ctx, name)
        if sub is None:
            raise click.UsageError(f"no command {name!r} in {ctx.command_path}")
        command = sub
        ctx = click.Context(command, info_name=name, parent=ctx)
    if more:
        if not isinstance(command, click.Group) or words:
            raise click.UsageError("'...' follows something that is not a group")
        return
    if isinstance(command, click.Group) and not words:
        raise click.UsageError(f"{ctx.command_path} needs a subcommand")
    try:
        command.make_context(ctx.info_name, words, parent=ctx.parent)
    except click.exceptions.Exit as done:  # --help, --version: printed, then exit 0
        if done.exit_code != 0:
            raise


def accepted(words: list[str]) -> str | None:
    """None when the CLI takes the command line, else what it says."""
    try:
        parse(words)
    except click.BadParameter as exc:
        # A literal path in an example (a backup to restore) need not exist here:
        # the line's shape is what is checked.
        if isinstance(exc.param and exc.param.type, click.Path) and "does not" in str(exc):
            return None
        return exc.format_message()
    except click.ClickException as exc:
        return exc.format_message()
    return None


def refused(path: Path, a_file: Path) -> list[str]:
    return [
        f"{shown} -> teahouse {' '.join(words)}: {problem}"
        for shown in shown_commands(path)
        for words in variants(shown.words, a_file)
        if (problem := accepted(words)) is not None
    ]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    made = tmp_path / "teahouse-backup.db"
    made.write_bytes(b"")
    return made


def test_every_command_the_readme_shows_is_typed_as_it_works_after_make_run() -> None:
    shown = list(shown_commands(README))
    assert len(shown) > 30  # the command tables, the demo, backups, administration
    bare = [str(s) for s in shown if s.program not in AS_TYPED]
    assert bare == [], "teahouse is not on PATH after `make run`: write .venv/bin/teahouse"


def test_every_command_the_readme_shows_is_one_the_cli_accepts(
    a_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(README, a_file) == []


def test_operations_commands_to_copy_carry_a_path(a_file: Path) -> None:
    blocks = [s for s in shown_commands(OPERATIONS) if s.in_block]
    assert blocks, "docs/OPERATIONS.md shows commands in code blocks"
    assert [str(s) for s in blocks if s.program not in AS_TYPED] == []


def test_every_command_operations_names_is_one_the_cli_accepts(
    a_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(OPERATIONS, a_file) == []


SHOULD_REFUSE = [
    "invite make",  # no such command
    "admin give-invites ada many",  # N is a number
    "admin give-invites ada 0",  # 1 to 100
    "admin members --status banned",  # not a choice
    "backup",  # FILE missing
    "demo seed --pasword x",  # no such option
    "admin",  # a group, with nothing after it
    "serve ...",  # serve is not a group
]


@pytest.mark.parametrize("line", SHOULD_REFUSE)
def test_the_parser_refuses_what_the_cli_refuses(line: str) -> None:
    assert accepted(line.split()) is not None


@pytest.mark.parametrize(
    "line",
    ["admin ...", "--help", "--version", "admin reset-link ada", "restore /no/such/file.db"],
)
def test_the_parser_takes_what_the_cli_takes(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert accepted(line.split()) is None


def test_the_shapes_the_docs_use_are_found(tmp_path: Path, a_file: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Run `.venv/bin/teahouse invite create [--by USERNAME]` or `teahouse db upgrade`.\n"
        "Not a command: `/var/lib/teahouse`, `sudo -u teahouse sh`, teahouse-data.\n\n"
        "```\n"
        "TEAHOUSE_DATA_DIR=/var/lib/teahouse /opt/teahouse/bin/teahouse serve\n"
        ".venv/bin/teahouse admin members [--status all|admin]   list members\n"
        "ExecStart=/bin/sh -c 'exec /opt/teahouse/bin/teahouse backup /b/t-$(date +%%F).db'\n"
        "browser --> teahouse serve (127.0.0.1:8000)\n"
        "# teahouse in a comment\n"
        "```\n"
    )
    found = [(s.program, s.words, s.in_block) for s in shown_commands(doc)]
    assert found == [
        ("/opt/teahouse/bin/teahouse", "serve", True),
        (".venv/bin/teahouse", "admin members [--status all|admin]", True),
        ("/opt/teahouse/bin/teahouse", "backup /b/t-X.db", True),
        (".venv/bin/teahouse", "invite create [--by USERNAME]", False),
        ("teahouse", "db upgrade", False),
    ]
    assert variants("admin members [--status all|admin]", a_file) == [
        ["admin", "members"],
        ["admin", "members", "--status", "all"],
        ["admin", "members", "--status", "admin"],
    ]
