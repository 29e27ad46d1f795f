"""What the HTTP API shows of one live room: its record, its speakers and its size.

Blocks (docs/SECURITY.md, "What a block hides"): a list of rooms leaves out a room
whose creator or someone on whose stage is hidden from the viewer
(:func:`names_any`); one room looked up by its id shows without them: no creator
(``null``), not among the speakers, not counted.
"""

from __future__ import annotations

from collections.abc import Collection

from teahouse.live.stage import Stage
from teahouse.views import RoomSummary, ref_view


def room_summary(
    stage: Stage, room_id: str, hidden: Collection[str] = frozenset()
) -> RoomSummary | None:
    """The room's summary as a viewer sees it who may not see ``hidden``, or None
    when it is not live."""
    room = stage.live(room_id)
    if room is None:
        return None
    participants = room.state.participants.values()
    on_stage = [p.user for p in participants if p.role.on_stage]
    speakers = [ref_view(user) for user in on_stage if user.id not in hidden]
    listeners = len(room.state.participants) - len(on_stage)
    info = room.info
    return {
        "id": info.id,
        "title": info.title,
        "description": room.state.description,
        "visibility": info.visibility,
        "created_by": ref_view(info.created_by) if info.created_by.id not in hidden else None,
        "created_at": info.created_at,
        "speakers": speakers,
        "listener_count": listeners,
        # The people it shows and the audience, so no number betrays a hidden speaker.
        "participant_count": len(speakers) + listeners,
        "club": info.club.to_dict() if info.club else None,
    }


def names_any(stage: Stage, room_id: str, hidden: Collection[str]) -> bool:
    """Whether the live room's card would name one of ``hidden``: its creator, or
    someone on its stage."""
    room = stage.live(room_id)
    if room is None or not hidden:
        return False
    if room.info.created_by.id in hidden:
        return True
    return any(uid in hidden for uid in room.state.on_stage())
