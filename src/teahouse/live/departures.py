"""Sockets that must close now, because the session that opened them has ended.

A session ends by log-out, by expiring, or with the member's whole access: the
account is deleted or suspended. Whichever way, a socket of that session closes with
close code 4401 (the code of a socket without a valid session), so it can neither
join nor act any more, and it takes its member out of the room it was in at once: a
session that ended does not come back, so there is no place to hold for it
(api/socket.py). docs/SECURITY.md, "When a session ends", has the whole list.
"""

from __future__ import annotations

from teahouse.errors import CloseCode
from teahouse.live.stage import Stage
from teahouse.realtime.presence import Presence


class Departures:
    """Closes the sockets of ended sessions, and of members who are gone."""

    def __init__(self, presence: Presence, stage: Stage) -> None:
        self._presence = presence
        self._stage = stage

    def session_ended(self, user_id: str, session_id: str) -> int:
        """Log-out: that session's sockets close; the member's other sessions go on.
        How many sockets closed."""
        return self._presence.close_session(user_id, session_id, CloseCode.NOT_AUTHENTICATED)

    def other_sessions_ended(self, user_id: str, kept_session_id: str) -> int:
        """A password change: the sockets of every session of the member but
        ``kept_session_id`` close. How many sockets closed."""
        return self._presence.close_other_sessions(
            user_id, kept_session_id, CloseCode.NOT_AUTHENTICATED
        )

    async def member_gone(self, user_id: str) -> int:
        """Every session of the member ended (suspension, deletion): every socket closes
        and they leave every live room. How many sockets closed."""
        # Sockets first: a closed socket dispatches nothing more, so no join can race
        # the removal below.
        closed = self._presence.close_user(user_id, CloseCode.NOT_AUTHENTICATED)
        await self._stage.remove_user(user_id)
        return closed
