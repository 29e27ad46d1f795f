"""The little SDP inspection the media layer does before handing SDP to Janus.

Janus parses SDP itself; these checks exist for what Janus would accept but Teahouse
must not: rooms are audio-only, so a publisher offer with video or data channels is
refused with ``invalid_sdp`` instead of quietly publishing video nobody expects.
"""

from __future__ import annotations

from teahouse.errors import BadRequest, ErrorCode

#: Janus core and VideoRoom error codes that mean "this SDP is no good":
#: 464 unknown JSEP type, 465 invalid SDP (core); 431 invalid SDP type,
#: 437 invalid SDP (VideoRoom).
JANUS_SDP_ERRORS = frozenset({464, 465, 431, 437})


def media_kinds(sdp: str) -> list[str]:
    """The media kind of every m-line, in order (``audio``, ``video``...)."""
    kinds = []
    for line in sdp.splitlines():
        if line.startswith("m="):
            kinds.append(line[2:].split(" ", 1)[0])
    return kinds


def audio_mids(sdp: str) -> list[str]:
    """The ``a=mid`` of every audio m-line, in order (those that have one)."""
    mids: list[str] = []
    kind = None
    for line in sdp.splitlines():
        if line.startswith("m="):
            kind = line[2:].split(" ", 1)[0]
        elif line.startswith("a=mid:") and kind == "audio":
            mids.append(line[len("a=mid:") :].strip())
    return mids


def check_audio_offer(sdp: str) -> None:
    """Refuse an offer that is not SDP or carries anything but audio."""
    if not sdp.startswith("v=0"):
        raise BadRequest("the offer is not SDP (it must start with v=0)", ErrorCode.INVALID_SDP)
    kinds = media_kinds(sdp)
    if "audio" not in kinds:
        raise BadRequest("the offer has no audio to publish", ErrorCode.INVALID_SDP)
    others = sorted(set(kinds) - {"audio"})
    if others:
        raise BadRequest(
            f"rooms are audio-only; remove the {', '.join(others)} m-line(s) from the offer",
            ErrorCode.INVALID_SDP,
        )


def check_answer(sdp: str) -> None:
    """Refuse an answer that is not SDP at all (Janus checks the rest)."""
    if not sdp.startswith("v=0"):
        raise BadRequest("the answer is not SDP (it must start with v=0)", ErrorCode.INVALID_SDP)
