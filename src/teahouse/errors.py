"""The one error hierarchy of Teahouse.

Only errors a user should see derive from :class:`TeahouseError`; each carries a
machine-readable ``code`` and the HTTP status it maps to. The HTTP layer
(``api/errors.py``) and the WebSocket layer (``api/socket.py``) turn them into
``{"error": {"code", "message"}}`` and ``{"type": "error", "code", "message"}``.
Anything else raised is a bug and is logged with context.

    TeahouseError
     ├── BadRequest            400  invalid_request, malformed_message, unknown_type,
     │                              message_too_large, weak_password, invalid_username,
     │                              invalid_sdp, invalid_time_zone, event_in_past,
     │                              avatar_not_an_image, avatar_too_many_pixels,
     │                              bad_cursor
     ├── InviteError           400/404/409/410  invite_malformed, invite_unknown,
     │                              invite_used, invite_expired, invite_revoked
     ├── NotAuthenticated      401  not_authenticated, bad_credentials
     ├── Forbidden             403  origin_forbidden, room_forbidden, not_moderator,
     │                              not_speaker, invite_quota_exhausted, not_club_admin,
     │                              not_invited, not_member (club rooms), not_host,
     │                              ping_not_allowed, not_admin, suspended,
     │                              removed_from_room, blocked, not_allowed
     ├── NotFound              404  room_not_found, user_not_found, not_in_room,
     │                              club_not_found, not_member (club admins),
     │                              event_not_found, avatar_not_found, not_found,
     │                              invite_not_found, report_not_found, room_link_invalid
     ├── Conflict              409  username_taken, room_ended, wrong_state,
     │                              already_in_room, club_name_taken, already_member,
     │                              last_admin, event_started, event_cancelled,
     │                              already_pinged, cannot_suspend_admin,
     │                              member_suspended, already_resolved, hands_disabled
     ├── TooLarge              413  request_too_large, avatar_too_large
     ├── TooManyRequests       429  too_many_attempts, too_many_reports
     └── Unavailable           503  media_unavailable
"""

from __future__ import annotations

from typing import ClassVar


class TeahouseError(Exception):
    """An error a user should see: a stable ``code`` plus a human message."""

    status = 400
    default_code = "invalid_request"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class BadRequest(TeahouseError):
    status = 400
    default_code = "invalid_request"


class InviteError(TeahouseError):
    """A refused invitation; the status depends on why."""

    _status_by_code: ClassVar[dict[str, int]] = {
        "invite_malformed": 400,
        "invite_unknown": 404,
        "invite_used": 409,
        "invite_expired": 410,
        "invite_revoked": 410,
    }

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)
        self.status = self._status_by_code[code]


class NotAuthenticated(TeahouseError):
    status = 401
    default_code = "not_authenticated"


class Forbidden(TeahouseError):
    status = 403
    default_code = "forbidden"


class NotFound(TeahouseError):
    status = 404
    default_code = "not_found"


class Conflict(TeahouseError):
    status = 409
    default_code = "conflict"


class TooLarge(TeahouseError):
    status = 413
    default_code = "request_too_large"


class Unavailable(TeahouseError):
    status = 503
    default_code = "media_unavailable"


class TooManyRequests(TeahouseError):
    """Slow down; ``retry_after`` seconds says for how long."""

    status = 429
    default_code = "too_many_requests"

    def __init__(self, message: str, code: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after
