"""What the HTTP API shows of one live room: its record, its speakers and its size."""

from __future__ import annotations

from teahouse.live.stage import Stage
from teahouse.views import RoomSummary, ref_view


def room_summary(stage: Stage, room_id: str) -> RoomSummary | None:
    """The room's summary, or None when it is not live."""
    room = stage.live(room_id)
    if room is None:
        return None
    participants = room.state.participants.values()
    speakers = [ref_view(p.user) for p in participants if p.role.on_stage]
    listeners = sum(1 for p in participants if not p.role.on_stage)
    info = room.info
    return {
        "id": info.id,
        "title": info.title,
        "visibility": info.visibility,
        "created_by": ref_view(info.created_by),
        "created_at": info.created_at,
        "speakers": speakers,
        "listener_count": listeners,
        "participant_count": len(room.state.participants),
        "club": info.club.to_dict() if info.club else None,
    }
