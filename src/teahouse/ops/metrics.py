"""The process's Prometheus metrics (docs/OPERATIONS.md, "Metrics and health").

Two kinds, told apart by who writes them:

- **Counters and histograms** that code increments where things happen: WebSocket
  messages in and out, clients dropped for falling behind (close code 4408),
  rate-limit refusals, HTTP request latency. They are module objects in
  prometheus-client's default registry, one set per process (with the process's own
  CPU, memory and garbage-collection figures beside them).
- **Gauges read at scrape time** from the instance (:class:`InstanceCollector`):
  live rooms, members connected, listener streams, whether the database and the
  media server answer. Nothing keeps them in step as things change; each scrape asks
  the instance, so they cannot drift.

Labels are bounded sets only (message types, route templates, error codes): never a
raw path, a member, a room or an address, which would grow without end.

Rate limits: a refusal raised as a 429 error (``TooManyRequests``) is counted by the
edges that answer it (HTTP and WebSocket), labelled with its error code. A limit that
refuses without an error (a change coalesced away, a frame dropped) calls
:func:`rate_limited` with a name of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from prometheus_client import REGISTRY, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# Each counter would also export a `_created` timestamp series: twice the series for
# nothing a dashboard here uses (process_start_time_seconds says when counting began).
disable_created_metrics()  # type: ignore[no-untyped-call]


class LoopCounter(Collector):
    """A counter for the hottest paths, touched only on the event loop's thread.

    prometheus-client's ``Counter`` takes a lock on every increment (its values may be
    touched from any thread): about 0.8 µs on these machines, which a broadcast to a
    room of 5,000 pays 5,000 times, and 3.5 µs with a label. Every WebSocket frame is
    sent and received on the event loop, and the metrics listener scrapes on that
    same loop, so a plain integer in a dict needs no lock: about 0.2 µs.
    """

    def __init__(self, name: str, documentation: str, label: str | None = None) -> None:
        self._name, self._documentation, self._label = name, documentation, label
        self.values: dict[str, int] = {}
        REGISTRY.register(self)

    def inc(self, label_value: str = "") -> None:
        self.values[label_value] = self.values.get(label_value, 0) + 1

    def collect(self) -> Iterator[Metric]:
        labels = [self._label] if self._label else []
        family = CounterMetricFamily(self._name, self._documentation, labels=labels)
        for value, count in sorted(self.values.items()):
            family.add_metric([value] if self._label else [], count)
        yield family


MESSAGES_RECEIVED = LoopCounter(
    "teahouse_websocket_messages_received",
    "WebSocket messages received from clients, by type ('invalid': not a message).",
    label="type",
)
MESSAGES_SENT = LoopCounter(
    "teahouse_websocket_messages_sent", "WebSocket messages written to clients."
)
QUEUE_DROPS = Counter(
    "teahouse_websocket_queue_drops",
    "Clients closed with 4408 because they fell ws_send_queue messages behind.",
)
RATE_LIMITED = Counter(
    "teahouse_rate_limited",
    "Requests and messages refused by a rate limit, by limit (the error code).",
    ["limit"],
)
REQUEST_DURATION = Histogram(
    "teahouse_http_request_duration_seconds",
    "HTTP requests by method, route template and status, from first byte in to last out.",
    ["method", "route", "status"],
)


def rate_limited(limit: str) -> None:
    """Count one refusal by the limit named ``limit`` (see the module docstring)."""
    RATE_LIMITED.labels(limit=limit).inc()


@dataclass(frozen=True, slots=True)
class InstanceFigures:
    """What the instance is doing now, read at each scrape."""

    live_rooms: int
    members_connected: int
    sockets_open: int
    on_stage: int
    in_audience: int
    listener_streams: int
    # Each dependency's last health check: whether it answered, and in how long.
    dependencies: Mapping[str, tuple[bool, float]] = field(default_factory=dict)


class InstanceCollector(Collector):
    """Gauges computed from :class:`InstanceFigures` when Prometheus scrapes."""

    def __init__(self, read: Callable[[], InstanceFigures]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        now = self._read()
        yield _gauge("teahouse_live_rooms", "Rooms live in this process.", now.live_rooms)
        yield _gauge(
            "teahouse_members_connected",
            "Members with at least one WebSocket open.",
            now.members_connected,
        )
        yield _gauge("teahouse_websockets_open", "WebSockets open.", now.sockets_open)
        places = GaugeMetricFamily(
            "teahouse_room_participants",
            "People in live rooms: on the stage (moderators, speakers) or in the audience.",
            labels=["place"],
        )
        places.add_metric(["stage"], now.on_stage)
        places.add_metric(["audience"], now.in_audience)
        yield places
        yield _gauge(
            "teahouse_listener_streams",
            "Audio streams the media server forwards to listeners (one per speaker heard).",
            now.listener_streams,
        )
        up = GaugeMetricFamily(
            "teahouse_dependency_up",
            "Whether a dependency answered its last health check (1) or not (0).",
            labels=["dependency"],
        )
        took = GaugeMetricFamily(
            "teahouse_dependency_check_seconds",
            "How long a dependency's last health check took.",
            labels=["dependency"],
        )
        for name, (answered, seconds) in sorted(now.dependencies.items()):
            up.add_metric([name], 1 if answered else 0)
            took.add_metric([name], seconds)
        yield up
        yield took


class Exposition(Collector):
    """What one scrape shows: the process's metrics, then the instance's gauges."""

    def __init__(self, instance: Collector, process: Collector = REGISTRY) -> None:
        self._parts = (process, instance)

    def collect(self) -> Iterator[Metric]:
        for part in self._parts:
            yield from part.collect()


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)
