import { ApiError } from "../api";
import type { ErrorTexts } from "../problem";
import { closeMessage, errorMessage } from "../error-messages";
import { CloseCode, type ErrorCode } from "../protocol";

// What a member reads when the room refuses something: the client's one table
// (error-messages.ts), a few codes worded for the room, and the reasons a room ends.
// The server's `message` is never shown.

const ROOM_TEXTS: ErrorTexts = {
  bad_cursor: "The audience list changed. Close it and open it again.",
  room_forbidden: "You can't join this room.",
};

/** The human message for a room error code. */
export function roomErrorMessage(code: string): string {
  return ROOM_TEXTS[code as ErrorCode] ?? errorMessage(code);
}

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
  if (closeCode === CloseCode.TooManySockets) return { code: "too_many_sockets", message: closeMessage(closeCode) };
  return { code: "origin_forbidden", message: closeMessage(CloseCode.OriginForbidden) };
}

/** Why presenting a room link failed, as the member reads it. */
export function linkProblem(err: unknown): { code: string; message: string } {
  const code = err instanceof ApiError ? err.code : "network_error";
  return { code, message: roomErrorMessage(code) };
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
    default:
      return "This room has ended.";
  }
}
