"""Real WebRTC peers for media tests: publish a known tone, check what is heard.

Offers and answers are complete (no trickle): aiortc gathers every candidate during
``setLocalDescription``, which is what the media contract expects.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiortc import (
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpReceiver,
    RTCSessionDescription,
)
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, MediaStreamTrack
from av import AudioFrame

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms at 48 kHz, Opus's usual frame
# No STUN: aiortc would otherwise ask stun.l.google.com; tests stay in the namespace.
NO_ICE_SERVERS = RTCConfiguration(iceServers=[])


class ToneTrack(AudioStreamTrack):
    """A sine of ``frequency`` Hz, 48 kHz mono s16, one 20 ms frame per ``recv``."""

    def __init__(self, frequency: float, amplitude: float = 0.3) -> None:
        super().__init__()
        self.frequency = frequency
        self.amplitude = amplitude
        self._sent = 0
        self._started_at: float | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._started_at is None:
            self._started_at = time.monotonic()
        else:
            # Pace in real time like a microphone; Opus and Janus expect it.
            due = self._started_at + self._sent / SAMPLE_RATE
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        n = np.arange(self._sent, self._sent + FRAME_SAMPLES)
        wave = self.amplitude * np.sin(2 * np.pi * self.frequency * n / SAMPLE_RATE)
        pcm = (wave * 32767).astype(np.int16).reshape(1, -1)
        frame = AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._sent
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        self._sent += FRAME_SAMPLES
        return frame


def dominant_frequency(samples: np.ndarray[Any, Any], rate: int = SAMPLE_RATE) -> float:
    """The frequency (Hz) of the strongest FFT bin of mono ``samples``."""
    if samples.size < 2:
        raise ValueError("need at least two samples")
    windowed = samples.astype(np.float64) * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(windowed))
    spectrum[0] = 0.0  # ignore DC
    return float(np.fft.rfftfreq(samples.size, 1.0 / rate)[int(np.argmax(spectrum))])


def to_mono(frame: AudioFrame) -> np.ndarray[Any, Any]:
    """Samples of ``frame`` as mono float; aiortc decodes Opus to packed stereo s16."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if frame.format.is_planar:
        return np.asarray(data.mean(axis=0), dtype=np.float64)
    return np.asarray(data.reshape(-1, channels).mean(axis=1), dtype=np.float64)


class PublisherPeer:
    """An aiortc peer that sends one tone track."""

    def __init__(self, frequency: float) -> None:
        self.pc = RTCPeerConnection(NO_ICE_SERVERS)
        self.track = ToneTrack(frequency)
        self.pc.addTransceiver(self.track, direction="sendonly")

    async def offer(self) -> str:
        """A complete offer (every candidate gathered)."""
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return str(self.pc.localDescription.sdp)

    async def accept(self, answer_sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer_sdp, type="answer"))

    async def wait_connected(self, within: float = 10.0) -> None:
        await _wait_connected(self.pc, within)

    async def close(self) -> None:
        await self.pc.close()


@dataclass
class ReceivedTrack:
    """What arrived on one subscribed m-line."""

    mid: str
    frames: list[np.ndarray[Any, Any]] = field(default_factory=list)
    #: When each of ``frames`` was decoded (time.monotonic()).
    arrivals: list[float] = field(default_factory=list)
    first_frame_at: float | None = None
    packets: int = 0

    def loud_frames_since(self, since: float, rms: float = 300.0) -> list[float]:
        """When frames louder than ``rms`` (int16 units) were decoded after ``since``:
        the tone getting through (a 0.3 tone decodes at about 6,900)."""
        return [
            at
            for at, frame in zip(self.arrivals, self.frames, strict=True)
            if at > since and frame.size and float(np.sqrt(np.mean(frame**2))) > rms
        ]

    def samples(self, last_seconds: float | None = None) -> np.ndarray[Any, Any]:
        data = np.concatenate(self.frames) if self.frames else np.zeros(0)
        if last_seconds is not None:
            data = data[-int(last_seconds * SAMPLE_RATE) :]
        return data


class SubscriberPeer:
    """An aiortc peer that answers Janus's offers and records what it hears.

    With ``count_only`` the receivers' RTP handlers are replaced by a counter:
    nothing is decoded (about a tenth of the CPU), for benchmarks with many peers.

    ``dtls_server`` (default) answers ``a=setup:passive`` so that Janus starts the
    DTLS handshake. Why: as DTLS client, aiortc sends its ClientHello the moment
    its own ICE side completes, which about one time in four is before Janus has
    selected the pair; Janus drops it, and OpenSSL retransmits only after 1 s
    (measured: first audio at ~120 ms or ~1120 ms). With Janus as client, as for
    publishers, there is no such race. Pass ``dtls_server=False`` to see it.
    """

    def __init__(self, *, count_only: bool = False, dtls_server: bool = True) -> None:
        self.pc = RTCPeerConnection(NO_ICE_SERVERS)
        self.count_only = count_only
        self.dtls_server = dtls_server
        self.tracks: dict[str, ReceivedTrack] = {}
        self._readers: set[asyncio.Task[None]] = set()
        self.pc.on("track", self._on_track)

    async def answer(self, offer_sdp: str) -> str:
        """Apply Janus's offer; return a complete answer."""
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        if self.dtls_server:
            for transceiver in self.pc.getTransceivers():
                transport = transceiver.receiver.transport
                if transport._role == "auto":  # aiortc keeps the role on renegotiation
                    transport._set_role("server")
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        if self.count_only:
            for transceiver in self.pc.getTransceivers():
                self._count_packets(transceiver.mid, transceiver.receiver)
        return str(self.pc.localDescription.sdp)

    def _on_track(self, track: MediaStreamTrack) -> None:
        mid = next(t.mid for t in self.pc.getTransceivers() if t.receiver.track is track)
        received = self.tracks.setdefault(str(mid), ReceivedTrack(mid=str(mid)))
        if not self.count_only:
            task = asyncio.create_task(self._read(track, received))
            self._readers.add(task)
            task.add_done_callback(self._readers.discard)

    def _count_packets(self, mid: str | None, receiver: RTCRtpReceiver) -> None:
        received = self.tracks.setdefault(str(mid), ReceivedTrack(mid=str(mid)))
        if getattr(receiver, "_teahouse_counting", False):
            return

        async def count(packet: Any, arrival_time_ms: int) -> None:
            if received.first_frame_at is None:
                received.first_frame_at = time.monotonic()
            received.packets += 1

        # The DTLS transport calls receiver._handle_rtp_packet for each packet; an
        # instance attribute shadows the method, so no jitter buffer and no decoding.
        receiver._handle_rtp_packet = count  # type: ignore[method-assign]
        receiver._teahouse_counting = True  # type: ignore[attr-defined]

    @staticmethod
    async def _read(track: MediaStreamTrack, received: ReceivedTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not isinstance(frame, AudioFrame):
                continue
            now = time.monotonic()
            if received.first_frame_at is None:
                received.first_frame_at = now
            received.frames.append(to_mono(frame))
            received.arrivals.append(now)

    async def wait_connected(self, within: float = 10.0) -> None:
        await _wait_connected(self.pc, within)

    async def wait_audio(self, mid: str, seconds: float, within: float = 10.0) -> ReceivedTrack:
        """Wait until ``seconds`` of decoded audio arrived on ``mid``."""
        async with asyncio.timeout(within):
            while True:
                track = self.tracks.get(mid)
                if track is not None and sum(f.size for f in track.frames) >= (
                    seconds * SAMPLE_RATE
                ):
                    return track
                await asyncio.sleep(0.02)

    async def wait_for_tone(
        self, frequency: float, *, tolerance: float = 10.0, within: float = 10.0
    ) -> str:
        """Wait until some track's last half second is ``frequency``; return its mid."""
        async with asyncio.timeout(within):
            while True:
                for mid, track in self.tracks.items():
                    recent = track.samples(0.5)
                    if recent.size >= SAMPLE_RATE // 2 and (
                        abs(dominant_frequency(recent) - frequency) <= tolerance
                    ):
                        return mid
                await asyncio.sleep(0.05)

    def heard(self, mid: str, seconds: float = 0.5) -> float:
        """Dominant frequency of the last ``seconds`` heard on ``mid``."""
        return dominant_frequency(self.tracks[mid].samples(seconds))

    async def close(self) -> None:
        await self.pc.close()
        for task in list(self._readers):
            task.cancel()


async def _wait_connected(pc: RTCPeerConnection, within: float) -> None:
    async with asyncio.timeout(within):
        while pc.connectionState != "connected":
            if pc.connectionState in ("failed", "closed"):
                raise ConnectionError(f"peer connection {pc.connectionState}")
            await asyncio.sleep(0.01)
