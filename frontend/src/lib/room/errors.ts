import { ApiError } from "../api";
import type { ErrorTexts } from "../problem";
import { CloseCode, type ErrorCode } from "../protocol";

// What a member reads when the room refuses something: every error code of
// docs/PROTOCOL.md ("Error codes"), plus the room link's HTTP error and the
// reasons a room ends.

const MESSAGES: ErrorTexts = {
  malformed_message: "The app sent something the server didn't understand. Reload the page and try again.",
  unknown_type: "The server doesn't know that action. Reload the page to get the latest version.",
  message_too_large: "That was too much to send at once.",
  not_in_room: "That person isn't in the room any more.",
  room_not_found: "This room isn't available. It may have ended, or you haven't been let in.",
  room_ended: "This room has ended.",
  removed_from_room: "A moderator removed you from this room. You can't join it again while it's live.",
  blocked: "You can't join this room.",
  not_moderator: "Only moderators can do that.",
  not_speaker: "Only people on the stage can do that.",
  not_allowed: "Only speakers can unmute themselves.",
  hands_disabled: "The moderators turned off hand-raising.",
  bad_cursor: "The audience list changed. Close it and open it again.",
  wrong_state: "That can't be done right now.",
  invalid_sdp: "The audio connection couldn't be set up. Try again.",
  media_unavailable: "Audio is reconnecting. Try again in a moment.",
  joined_elsewhere: "You joined this room from another window or device.",
  rate_limited: "That was a lot at once. Wait a moment and try again.",
  room_busy: "The room is very busy. Try again in a moment.",
  internal_error: "Something went wrong on the server. Try again.",
  room_link_invalid: "That room link doesn't work any more. Ask a moderator for a new one.",
};

/**
 * The human message for a room error. `wrong_state` covers many situations ("They
 * are already muted.", "The last moderator stays one…"), so the server's own
 * sentence, when it sent one, says more than a generic line would.
 */
export function roomErrorMessage(code: string, serverMessage?: string): string {
  if (code === "wrong_state" && serverMessage) return serverMessage;
  return MESSAGES[code as ErrorCode] ?? (serverMessage || "Something went wrong.");
}

export const ROOM_ERROR_CODES = Object.keys(MESSAGES);

/** Join refusals that end the attempt (the room is gone, or not for this member). */
const JOIN_REFUSALS = new Set(["room_not_found", "room_ended", "room_forbidden", "removed_from_room", "blocked"]);

/**
 * What an `error` answering our `join` means: "ignore" (a resume the server didn't
 * need), "ended" or "failed" (the room view is over), or null: treat it like any error.
 */
export function joinRefusal(code: string, synced: boolean): "ignore" | "ended" | "failed" | null {
  if (code === "already_in_room" && synced) return "ignore";
  if (synced && !JOIN_REFUSALS.has(code)) return null;
  // A room that vanished while we were reconnecting has ended.
  return code === "room_ended" || (synced && code === "room_not_found") ? "ended" : "failed";
}

/**
 * Why the server will not keep a socket for us (a final close other than 4401, which
 * signs the member out), as the member reads it; the code is the close reason.
 */
export function refusedConnection(closeCode: number | null): { code: string; message: string } {
  if (closeCode === CloseCode.TooManySockets) {
    return { code: "too_many_sockets", message: "Teahouse is open in too many tabs or devices. Close some of them, then reload this page." };
  }
  return { code: "origin_forbidden", message: "This page's address isn't allowed to connect to the server." };
}

/** Why presenting a room link failed, as the member reads it. */
export function linkProblem(err: unknown): { code: string; message: string } {
  const code = err instanceof ApiError ? err.code : "network_error";
  const message = err instanceof ApiError && code !== "room_link_invalid" ? err.message : roomErrorMessage(code);
  return { code, message };
}

/** Why the room ended, for the "This room has ended" card. */
export function endedMessage(reason: unknown): string {
  switch (reason) {
    case "no_moderator":
    case "moderators_left":
    case "last_moderator_left":
      return "The room ended: the last moderator left.";
    case "ended_by_moderator":
      return "A moderator ended the room.";
    case "ended_by_admin":
      return "An admin of this Teahouse ended the room.";
    case "server_shutdown":
      return "The server is restarting, so the room ended.";
    default:
      return "This room has ended.";
  }
}
