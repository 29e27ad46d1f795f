"""Chinese names and the searches people type for them, for bench/hallway_scale.py.

A share of the generated members get a Chinese display name: a surname drawn with a
skew (as in life, a few surnames are very common: 陳 or 林 is shared by thousands)
and one or two given-name characters, in traditional or simplified characters. The
queries are what someone looking for one of them types: one character (the surname,
which matches the most members, or a given-name character), two characters, the
whole name, or a Latin word and a character ("Ada 陳").
"""

from __future__ import annotations

import random
from collections.abc import Sequence

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
