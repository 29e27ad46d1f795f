import type { ErrorCode } from "./protocol";

// The one code-to-message table: what a person reads for every error code the server
// can send (HTTP problems and WebSocket `error`s share the codes of
// src/teahouse/errors.py) and for every code the server closes a socket with. The
// server's own `message` is for developers and is never shown: `Record<ErrorCode, …>`
// makes a code the server gained fail the type check until it has a sentence here,
// and tests/unit/test_client_error_table.py checks this file against the server's
// enums. Screens may word a code more precisely for their context (ErrorTexts).

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  invalid_request: "Something in that wasn't right. Check it and try again.",
  malformed_message: "The app sent something the server didn't understand. Reload the page and try again.",
  unknown_type: "The server doesn't know that action. Reload the page to get the latest version.",
  message_too_large: "That was too much to send at once.",
  weak_password: "Passwords are 10 to 256 characters long.",
  invalid_username: "Usernames are 2 to 30 lowercase letters, digits or underscores.",
  invalid_sdp: "The audio connection couldn't be set up. Try again.",
  invalid_time_zone: "The server doesn't know your time zone. Set your device's time zone and try again.",
  event_in_past: "That time has already passed. Pick a time in the future.",
  avatar_not_an_image: "That file isn't a picture Teahouse can read. Try a JPEG, PNG or WebP.",
  avatar_too_many_pixels: "That picture is too big. Try a smaller one.",
  bad_cursor: "The list changed. Close it and open it again.",
  cannot_report_yourself: "You can't report yourself.",
  invite_malformed: "That invitation link is incomplete. Copy the whole link and try again.",
  passkey_challenge_expired: "That took too long. Try again.",
  passkey_rejected: "That passkey wasn't accepted. Try again, or use another one.",
  not_authenticated: "You're logged out. Log in again to go on.",
  bad_credentials: "That username and password don't match.",
  origin_forbidden: "This page's address isn't allowed to talk to the server.",
  room_forbidden: "You can't join this room.",
  not_moderator: "Only moderators can do that.",
  not_speaker: "Only people on the stage can do that.",
  invite_quota_exhausted: "You have no invitations left.",
  not_club_admin: "Only the club's admins can do that.",
  not_invited: "That invitation is no longer open.",
  not_club_member: "Only the club's members can do that.",
  not_host: "Only the host and co-hosts can do that.",
  ping_not_allowed: "You can't ping them into this room.",
  not_admin: "Only admins can do that.",
  suspended: "This account is suspended.",
  removed_from_room: "A moderator removed you from this room. You can't join it again while it's live.",
  blocked: "You can't join this room.",
  not_allowed: "Only speakers can unmute themselves.",
  not_found: "That isn't here any more.",
  room_not_found: "This room isn't available. It may have ended, or you haven't been let in.",
  user_not_found: "There's no member with that username.",
  not_in_room: "That person isn't in the room any more.",
  club_not_found: "That club isn't here any more.",
  not_member: "They need to be a member of the club first.",
  event_not_found: "That event isn't here any more.",
  avatar_not_found: "There's no picture to remove.",
  invite_not_found: "That invitation isn't here any more.",
  report_not_found: "That report isn't here any more.",
  room_link_invalid: "That room link doesn't work any more. Ask a moderator for a new one.",
  invite_unknown: "That invitation link doesn't work. Ask for a new one.",
  passkey_not_found: "That passkey isn't on your account any more.",
  reset_link_unknown: "That password reset link doesn't exist. Ask an admin for a new one.",
  method_not_allowed: "The app asked for something the server doesn't do. Reload the page to get the latest version.",
  request_timeout: "That took too long to arrive. Check your connection and try again.",
  username_taken: "That username is taken. Try another.",
  display_name_taken: "Someone already uses that name. Try another.",
  room_ended: "This room has ended.",
  wrong_state: "That can't be done right now: the room changed meanwhile.",
  already_in_room: "You're already in this room.",
  club_name_taken: "There's already a club with that name. Try another.",
  already_member: "They're already a member.",
  last_admin: "A club needs an admin. Make someone else an admin first.",
  event_started: "This room has already started.",
  event_cancelled: "This event was cancelled.",
  already_pinged: "You pinged them into this room a moment ago.",
  cannot_suspend_admin: "Admins can't be suspended. Take their admin rights first.",
  member_suspended: "That member is suspended.",
  already_resolved: "Someone resolved that report already.",
  hands_disabled: "The moderators turned off hand-raising.",
  joined_elsewhere: "You joined this room from another window or device.",
  invite_used: "That invitation was used already. Ask for a new one.",
  passkey_exists: "That passkey is on your account already.",
  too_many_passkeys: "You have as many passkeys as an account can have. Remove one first.",
  reset_link_used: "That reset link was used already. Ask an admin for a new one.",
  invite_expired: "That invitation has expired. Ask for a new one.",
  invite_revoked: "That invitation was withdrawn. Ask for a new one.",
  reset_link_expired: "That reset link has expired. Ask an admin for a new one.",
  request_too_large: "That was too much to send at once.",
  avatar_too_large: "That picture is too big. Pick one under 5 MB.",
  upgrade_required: "The app needs a newer connection. Reload the page.",
  too_many_attempts: "Too many tries. Wait a few minutes and try again.",
  too_many_reports: "You've sent a lot of reports. Try again later.",
  rate_limited: "That was a lot at once. Wait a moment and try again.",
  room_busy: "The room is very busy. Try again in a moment.",
  internal_error: "Something went wrong on the server. Try again.",
  media_unavailable: "Audio is reconnecting. Try again in a moment.",
  already_requested: "You've already asked to join. The club's admins will answer.",
  join_request_not_found: "That request has already been answered or withdrawn.",
  room_moved: "The room moved to another server. Reconnecting…",
};

/** Failures the client finds itself (no server code behind them). */
export const CLIENT_MESSAGES = {
  network_error: "Can't reach Teahouse. Check your connection and try again.",
  bad_response: "The server sent something unexpected. Try again.",
  offline: "You're offline. Reconnecting…",
  too_many_sockets: "Teahouse is open in too many tabs or devices. Close some of them, then reload this page.",
} as const;

/** Every code the server closes a socket with (CloseCode, and the standard 1009). */
export const CLOSE_MESSAGES: Record<number, string> = {
  4401: "You've been logged out: your session ended or your account was suspended.",
  4403: "This page's address isn't allowed to connect to the server.",
  4408: "The connection fell behind. Reconnecting…",
  1012: "The server is restarting. Reconnecting when it's back…",
  4430: "The app sent too much at once. Reconnecting in a moment…",
  4429: CLIENT_MESSAGES.too_many_sockets,
  1009: "The app sent too much at once. Reload the page.",
};

/** What anyone reads for a code this client has no sentence for. */
export const GENERIC_MESSAGE = "Something went wrong. Try again.";

/** The sentence for any code: the server's, the client's own, or the generic one. */
export function errorMessage(code: string): string {
  if (Object.hasOwn(ERROR_MESSAGES, code)) return ERROR_MESSAGES[code as ErrorCode];
  if (Object.hasOwn(CLIENT_MESSAGES, code)) return CLIENT_MESSAGES[code as keyof typeof CLIENT_MESSAGES];
  return GENERIC_MESSAGE;
}

/** The sentence for a close code (the generic one for a code we don't know). */
export function closeMessage(code: number | null): string {
  return (code !== null && CLOSE_MESSAGES[code]) || GENERIC_MESSAGE;
}
