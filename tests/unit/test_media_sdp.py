"""What the media layer refuses before Janus sees it."""

from __future__ import annotations

import pytest

from teahouse.errors import BadRequest
from teahouse.media.moderation import published_audio_mids
from teahouse.media.sdp import check_answer, check_audio_offer, media_kinds

AUDIO = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"


def test_media_kinds_in_order() -> None:
    sdp = (
        AUDIO
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    )
    assert media_kinds(sdp) == ["audio", "video", "application"]


@pytest.mark.parametrize("offer", [AUDIO, AUDIO + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"])
def test_audio_offers_pass(offer: str) -> None:
    check_audio_offer(offer)


@pytest.mark.parametrize(
    ("offer", "complaint"),
    [
        ("", "not SDP"),
        ("garbage", "not SDP"),
        ("v=0\r\ns=-\r\n", "no audio"),
        (AUDIO + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "video"),
        (AUDIO + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n", "application"),
    ],
)
def test_offers_that_are_refused(offer: str, complaint: str) -> None:
    with pytest.raises(BadRequest, match=complaint) as caught:
        check_audio_offer(offer)
    assert caught.value.code == "invalid_sdp"


def test_answer_must_be_sdp() -> None:
    check_answer(AUDIO)
    with pytest.raises(BadRequest) as caught:
        check_answer("{}")
    assert caught.value.code == "invalid_sdp"


@pytest.mark.parametrize(
    ("reply", "offer", "mids"),
    [
        # Janus's publish reply names its streams: the audio ones are moderated.
        ({"streams": [{"type": "audio", "mid": "0"}, {"type": "data", "mid": "1"}]}, AUDIO,
         ("0",)),
        # No usable streams in the reply: the offer's audio m-lines say.
        ({}, AUDIO + "a=mid:a1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a2\r\n", ("a1", "a2")),
        ({"streams": "?"}, AUDIO + "a=mid:0\r\n", ("0",)),
        ({"streams": []}, AUDIO, ()),
    ],
)  # fmt: skip
def test_the_audio_mids_that_moderate_names(
    reply: dict[str, object], offer: str, mids: tuple[str, ...]
) -> None:
    assert published_audio_mids(reply, offer) == mids
