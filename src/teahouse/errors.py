"""The one error hierarchy of Teahouse, and every code a client can be sent.

Only errors a user should see derive from :class:`TeahouseError`; each carries a
machine-readable :class:`ErrorCode`, and each code has one HTTP status. The HTTP
layer (``api/errors.py``) and the WebSocket layer (``api/socket.py``) turn them into
``{"error": {"code", "message"}}`` and ``{"type": "error", "code", "message"}``; the
web client shows people a text of its own for each code, never the message.
Anything else raised is a bug and is logged with context. A closed WebSocket says
why with a :class:`CloseCode`.

    TeahouseError
     ├── BadRequest            400  invalid_request, malformed_message, unknown_type,
     │                              message_too_large, weak_password, invalid_username,
     │                              invalid_sdp, invalid_time_zone, event_in_past,
     │                              avatar_not_an_image, avatar_too_many_pixels,
     │                              bad_cursor, cannot_report_yourself,
     │                              passkey_challenge_expired, passkey_rejected
     ├── InviteError           4xx  invite_malformed 400, invite_unknown 404,
     │                              invite_used 409, invite_expired 410,
     │                              invite_revoked 410
     ├── ResetLinkError        4xx  reset_link_unknown 404, reset_link_used 409,
     │                              reset_link_expired 410
     ├── NotAuthenticated      401  not_authenticated, bad_credentials
     ├── Forbidden             403  origin_forbidden, room_forbidden, not_moderator,
     │                              not_speaker, invite_quota_exhausted, not_club_admin,
     │                              not_invited, not_club_member, not_host,
     │                              ping_not_allowed, not_admin, suspended,
     │                              removed_from_room, blocked, not_allowed
     ├── NotFound              404  not_found, room_not_found, user_not_found,
     │                              not_in_room, club_not_found, not_member,
     │                              event_not_found, avatar_not_found, invite_not_found,
     │                              report_not_found, room_link_invalid,
     │                              passkey_not_found, join_request_not_found
     ├── Conflict              409  username_taken, room_ended, wrong_state,
     │                              already_in_room, club_name_taken, already_member,
     │                              last_admin, event_started, event_cancelled,
     │                              already_pinged, cannot_suspend_admin,
     │                              member_suspended, already_resolved, hands_disabled,
     │                              joined_elsewhere, passkey_exists,
     │                              too_many_passkeys, display_name_taken,
     │                              already_requested
     ├── TooLarge              413  request_too_large, avatar_too_large
     ├── TooManyRequests       429  too_many_attempts, too_many_reports, rate_limited,
     │                              room_busy
     └── Unavailable           503  media_unavailable, room_moved

The edges send four more codes themselves, with no exception behind them:
``method_not_allowed`` 405, ``request_timeout`` 408 (a request body that did not arrive
in time, api/deadlines.py), ``upgrade_required`` 426 (a plain HTTP request to the
WebSocket's ``/ws``) and ``internal_error`` 500 (a bug, logged).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ErrorCode(StrEnum):
    """Every error code, each with its one HTTP status (:attr:`status`)."""

    status: int

    def __new__(cls, value: str, status: int) -> ErrorCode:
        code = str.__new__(cls, value)
        code._value_ = value
        code.status = status
        return code

    INVALID_REQUEST = "invalid_request", 400
    MALFORMED_MESSAGE = "malformed_message", 400
    UNKNOWN_TYPE = "unknown_type", 400
    MESSAGE_TOO_LARGE = "message_too_large", 400
    WEAK_PASSWORD = "weak_password", 400
    INVALID_USERNAME = "invalid_username", 400
    INVALID_SDP = "invalid_sdp", 400
    INVALID_TIME_ZONE = "invalid_time_zone", 400
    EVENT_IN_PAST = "event_in_past", 400
    AVATAR_NOT_AN_IMAGE = "avatar_not_an_image", 400
    AVATAR_TOO_MANY_PIXELS = "avatar_too_many_pixels", 400
    BAD_CURSOR = "bad_cursor", 400
    CANNOT_REPORT_YOURSELF = "cannot_report_yourself", 400
    INVITE_MALFORMED = "invite_malformed", 400
    PASSKEY_CHALLENGE_EXPIRED = "passkey_challenge_expired", 400
    PASSKEY_REJECTED = "passkey_rejected", 400

    NOT_AUTHENTICATED = "not_authenticated", 401
    BAD_CREDENTIALS = "bad_credentials", 401

    ORIGIN_FORBIDDEN = "origin_forbidden", 403
    ROOM_FORBIDDEN = "room_forbidden", 403
    NOT_MODERATOR = "not_moderator", 403
    NOT_SPEAKER = "not_speaker", 403
    INVITE_QUOTA_EXHAUSTED = "invite_quota_exhausted", 403
    NOT_CLUB_ADMIN = "not_club_admin", 403
    NOT_INVITED = "not_invited", 403
    NOT_CLUB_MEMBER = "not_club_member", 403
    NOT_HOST = "not_host", 403
    PING_NOT_ALLOWED = "ping_not_allowed", 403
    NOT_ADMIN = "not_admin", 403
    SUSPENDED = "suspended", 403
    REMOVED_FROM_ROOM = "removed_from_room", 403
    BLOCKED = "blocked", 403
    NOT_ALLOWED = "not_allowed", 403

    NOT_FOUND = "not_found", 404
    ROOM_NOT_FOUND = "room_not_found", 404
    USER_NOT_FOUND = "user_not_found", 404
    NOT_IN_ROOM = "not_in_room", 404
    CLUB_NOT_FOUND = "club_not_found", 404
    NOT_MEMBER = "not_member", 404
    EVENT_NOT_FOUND = "event_not_found", 404
    AVATAR_NOT_FOUND = "avatar_not_found", 404
    INVITE_NOT_FOUND = "invite_not_found", 404
    REPORT_NOT_FOUND = "report_not_found", 404
    ROOM_LINK_INVALID = "room_link_invalid", 404
    INVITE_UNKNOWN = "invite_unknown", 404
    PASSKEY_NOT_FOUND = "passkey_not_found", 404
    RESET_LINK_UNKNOWN = "reset_link_unknown", 404

    METHOD_NOT_ALLOWED = "method_not_allowed", 405

    REQUEST_TIMEOUT = "request_timeout", 408

    USERNAME_TAKEN = "username_taken", 409
    DISPLAY_NAME_TAKEN = "display_name_taken", 409
    ROOM_ENDED = "room_ended", 409
    WRONG_STATE = "wrong_state", 409
    ALREADY_IN_ROOM = "already_in_room", 409
    CLUB_NAME_TAKEN = "club_name_taken", 409
    ALREADY_MEMBER = "already_member", 409
    LAST_ADMIN = "last_admin", 409
    EVENT_STARTED = "event_started", 409
    EVENT_CANCELLED = "event_cancelled", 409
    ALREADY_PINGED = "already_pinged", 409
    CANNOT_SUSPEND_ADMIN = "cannot_suspend_admin", 409
    MEMBER_SUSPENDED = "member_suspended", 409
    ALREADY_RESOLVED = "already_resolved", 409
    HANDS_DISABLED = "hands_disabled", 409
    JOINED_ELSEWHERE = "joined_elsewhere", 409
    INVITE_USED = "invite_used", 409
    PASSKEY_EXISTS = "passkey_exists", 409
    TOO_MANY_PASSKEYS = "too_many_passkeys", 409
    RESET_LINK_USED = "reset_link_used", 409

    INVITE_EXPIRED = "invite_expired", 410
    INVITE_REVOKED = "invite_revoked", 410
    RESET_LINK_EXPIRED = "reset_link_expired", 410

    REQUEST_TOO_LARGE = "request_too_large", 413
    AVATAR_TOO_LARGE = "avatar_too_large", 413

    UPGRADE_REQUIRED = "upgrade_required", 426

    TOO_MANY_ATTEMPTS = "too_many_attempts", 429
    TOO_MANY_REPORTS = "too_many_reports", 429
    RATE_LIMITED = "rate_limited", 429
    ROOM_BUSY = "room_busy", 429

    INTERNAL_ERROR = "internal_error", 500

    MEDIA_UNAVAILABLE = "media_unavailable", 503

    # Appended, not sorted in by status, so parallel branches merge cleanly.
    ALREADY_REQUESTED = "already_requested", 409
    JOIN_REQUEST_NOT_FOUND = "join_request_not_found", 404
    # The room's owner changed while the action was being saved (replicas): it did not
    # happen; the socket closes with 1012 and its client resumes with the new owner.
    ROOM_MOVED = "room_moved", 503


class CloseCode(IntEnum):
    """Why the server closed a WebSocket (docs/PROTOCOL.md)."""

    # No valid session: never had one, it expired or was ended, or the member was
    # suspended. The client stops reconnecting and asks the member to log in.
    NOT_AUTHENTICATED = 4401
    # The page that opened the socket is not one of the instance's origins.
    ORIGIN_FORBIDDEN = 4403
    # The client fell too far behind; it reconnects and resumes.
    TOO_SLOW = 4408
    # The server is stopping (SIGTERM): the rooms stay live and come back with the
    # next process; the client reconnects once it is back and resumes.
    SERVER_RESTART = 1012
    # The client went on sending what it was refused as too many (the close reason
    # is ``rate_limited``); it may reconnect after a pause, to the budgets its member
    # left.
    TOO_MANY_MESSAGES = 4430
    # The member already has ``ws_sockets_per_member`` sockets open (the close reason
    # is ``too_many_sockets``); the older ones go on. The client does not reconnect
    # on its own: reconnecting would only be refused again while the others are open.
    TOO_MANY_SOCKETS = 4429


class TeahouseError(Exception):
    """An error a user should see: a stable ``code`` plus a message for developers
    (people are shown the web client's own text for the code)."""

    default_code = ErrorCode.INVALID_REQUEST

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message

    @property
    def status(self) -> int:
        return self.code.status

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class BadRequest(TeahouseError):
    default_code = ErrorCode.INVALID_REQUEST


class InviteError(TeahouseError):
    """A refused invitation; its code says why (malformed, unknown, used, expired,
    revoked), and with it the status."""

    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, code)


class ResetLinkError(TeahouseError):
    """A refused password reset link: unknown (or malformed), used, or expired
    (replaced by a newer one included)."""

    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, code)


class NotAuthenticated(TeahouseError):
    default_code = ErrorCode.NOT_AUTHENTICATED


class Forbidden(TeahouseError):
    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, code)


class NotFound(TeahouseError):
    default_code = ErrorCode.NOT_FOUND


class Conflict(TeahouseError):
    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, code)


class TooLarge(TeahouseError):
    default_code = ErrorCode.REQUEST_TOO_LARGE


class Unavailable(TeahouseError):
    default_code = ErrorCode.MEDIA_UNAVAILABLE


class TooManyRequests(TeahouseError):
    """Slow down; ``retry_after`` seconds says for how long."""

    def __init__(self, message: str, code: ErrorCode, retry_after: int = 60) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after
