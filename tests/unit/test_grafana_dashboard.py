"""docs/grafana-dashboard.json: valid JSON Grafana can import, whose every query
names metrics that Teahouse's metrics listener really exposes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from teahouse.ops.metrics import Exposition, InstanceCollector, InstanceFigures

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}
# A metric name in PromQL: ours and the process's, as prometheus-client names them.
METRIC = re.compile(r"\b((?:teahouse|process|python)_[a-zA-Z0-9_]+)\b")


def families() -> dict[str, set[str]]:
    """Every metric one scrape of the listener holds -> the series names it has."""
    figures = InstanceFigures(1, 2, 3, 4, 5, 6, {"database": (True, 0.01), "media": (True, 0.01)})
    text = generate_latest(Exposition(InstanceCollector(lambda: figures))).decode()
    return {
        family.name: {family.name + suffix for suffix in SUFFIXES.get(family.type, ("",))}
        for family in text_string_to_metric_families(text)
    }


def exposed() -> set[str]:
    return set().union(*families().values())


def queries(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("expr", "definition") and isinstance(value, str):
                yield value
            elif key == "query" and isinstance(value, dict | str):
                yield from (value,) if isinstance(value, str) else queries(value)
            else:
                yield from queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from queries(item)


def test_the_dashboard_is_a_grafana_dashboard() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["title"] and dashboard["uid"] and dashboard["schemaVersion"] >= 30
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels) >= 10
    for panel in panels:
        assert panel["type"] in ("timeseries", "stat") and panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "job"} <= variables


def test_every_query_names_metrics_that_exist() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    named = {name for query in queries(dashboard) for name in METRIC.findall(query)}
    assert named, "no query names a metric"
    assert sorted(named - exposed()) == []
    # Every metric of ours is on the dashboard somewhere (the dashboard keeps up).
    ours = {name: series for name, series in families().items() if name.startswith("teahouse_")}
    assert sorted(name for name, series in ours.items() if not series & named) == []


def test_the_checks_can_fail() -> None:
    assert "teahouse_live_room" not in exposed()
    assert list(METRIC.findall('sum by (le) (rate(teahouse_x_bucket{job=~"$job"}[5m]))')) == [
        "teahouse_x_bucket"
    ]
