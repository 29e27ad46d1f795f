"""Chinese names and the searches people type for them, for bench/hallway_scale.py.

A share of the generated members get a Chinese display name: a surname drawn with a
skew (as in life, a few surnames are very common: 陳 or 林 is shared by thousands)
and one or two given-name characters, in traditional or simplified characters. The
queries are what someone looking for one of them types: one character (the surname,
which matches the most members, or a given-name character), two characters, the
whole name, or a Latin word and a character ("Ada 陳"); :func:`measure` times them.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence

from bench.measure import GcMeter, log, summary, timed
from teahouse.social.search import Kind, Search

# Common surnames, most common first, traditional then simplified where they differ.
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何羅高"
SURNAMES_SIMPLIFIED = "陈林黄张李王吴刘蔡杨许郑谢郭洪曾邱廖赖周徐苏叶庄吕江何罗高"
GIVEN = "威廉明華美玲志偉俊傑淑芬家豪怡君雅婷宗翰佳穎冠宇承恩詩涵子軒欣妤建宏"
TOPICS = ("爵士之夜", "讀書會", "咖啡時間", "週五閒聊", "台語練習", "创业者聚会")


def chinese_name(rnd: random.Random) -> str:
    """A surname (skewed: the first few are the most common) and 1-2 given characters."""
    rank = min(int(rnd.paretovariate(1.0)) - 1, len(SURNAMES) - 1)
    surnames = SURNAMES_SIMPLIFIED if rnd.random() < 0.3 else SURNAMES
    given = "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2, 2))))
    return surnames[rank] + given


def queries(names: Sequence[str], rnd: random.Random, count: int) -> list[tuple[str, str]]:
    """(kind, query) pairs typed to find members called ``names``."""
    found: list[tuple[str, str]] = []
    for _ in range(count):
        name = rnd.choice(names)
        draw = rnd.random()
        if draw < 0.25:
            found.append(("1 char, surname", name[0]))
        elif draw < 0.5:
            found.append(("1 char, given name", rnd.choice(name[1:])))
        elif draw < 0.75:
            start = rnd.randrange(len(name) - 1)
            found.append(("2 chars", name[start : start + 2]))
        elif draw < 0.9:
            found.append(("whole name", name))
        else:
            found.append(("word + char", f"{rnd.choice(('ada', 'li', 'mei'))} {name[0]}"))
    return found


async def measure(
    search: Search, names: Sequence[str], rnd: random.Random, searchers: Sequence[str]
) -> None:
    """The same measurement for queries typed to find members with Chinese names."""
    typed = queries(names, rnd, len(searchers))
    log("")
    log(f"Search.search, CJK queries ({len(names)} members with Chinese names):")
    kinds: tuple[tuple[str, Kind | None], ...] = (("all kinds", None), ("kind=members", "members"))
    for label, kind in kinds:
        with GcMeter() as gc_meter:
            samples, results = await timed(
                [
                    functools.partial(search.search, uid, q, kind)
                    for (_, q), uid in zip(typed, searchers, strict=True)
                ]
            )
        log(summary(f"CJK search {label}", samples))
        if kind is None:
            log(gc_meter.report(sum(samples)))
            hits = sorted(len(r.members) + len(r.clubs) + len(r.room_ids) for r in results)
            log(f"  results per query: median {hits[len(hits) // 2]}, none for {hits.count(0)}")
            slow = sorted(zip(samples, typed, strict=True), reverse=True)[:5]
            log("  slowest: " + ", ".join(f"{q!r} {s * 1000:.0f} ms" for s, (_, q) in slow))
            by_kind: dict[str, list[float]] = {}
            for sample, (what, _) in zip(samples, typed, strict=True):
                by_kind.setdefault(what, []).append(sample)
            for what, kind_samples in sorted(by_kind.items()):
                log(summary(f"  {what}", kind_samples))
