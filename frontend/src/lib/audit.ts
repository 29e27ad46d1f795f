import type { AuditEntry, UserCard } from "./api-types";

// Moderation logs, a room's (GET /api/rooms/{id}/audit) and the instance's
// (GET /api/admin/audit): entries checked as they arrive, and each as a sentence.

function userOf(raw: unknown): UserCard | null {
  const u = raw as Partial<UserCard> | null | undefined;
  if (!u || typeof u !== "object" || typeof u.username !== "string") return null;
  return {
    id: typeof u.id === "string" ? u.id : u.username,
    username: u.username,
    display_name: typeof u.display_name === "string" && u.display_name ? u.display_name : u.username,
    avatar_url: typeof u.avatar_url === "string" ? u.avatar_url : null,
  };
}

/** Entries as sent, with anything malformed dropped or defaulted. */
export function auditEntries(raw: unknown): AuditEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: AuditEntry[] = [];
  raw.forEach((item: unknown, i) => {
    if (!item || typeof item !== "object") return;
    const o = item as Record<string, unknown>;
    const room = o.room as { id?: unknown; title?: unknown } | null | undefined;
    out.push({
      id: typeof o.id === "string" || typeof o.id === "number" ? String(o.id) : `entry-${i}`,
      at: typeof o.at === "string" ? o.at : "",
      action: typeof o.action === "string" ? o.action : "unknown",
      actor: userOf(o.actor),
      target: userOf(o.target),
      room: room && typeof room.id === "string" ? { id: room.id, title: typeof room.title === "string" ? room.title : "" } : null,
      detail: o.detail && typeof o.detail === "object" ? (o.detail as AuditEntry["detail"]) : {},
    });
  });
  return out;
}

/** A line of a room's log, for its moderators: "Ada muted Bob". */
export function describeRoomAction(e: AuditEntry): string {
  const actor = e.actor ? e.actor.display_name : "Someone";
  const target = e.target ? e.target.display_name : "someone";
  switch (e.action) {
    case "invite_to_speak":
      return `${actor} invited ${target} to speak`;
    case "move_to_audience":
      return `${actor} moved ${target} to the audience`;
    case "mute":
      return `${actor} muted ${target}`;
    case "make_moderator":
      return `${actor} made ${target} a moderator`;
    case "remove_moderator":
      return e.actor && e.target && e.actor.id === e.target.id
        ? `${actor} stopped being a moderator`
        : `${actor} removed ${target} as a moderator`;
    case "remove_from_room":
      return `${actor} removed ${target} from the room`;
    case "end_room":
      return `${actor} ended the room`;
    case "set_hands":
      return e.detail.enabled === false
        ? `${actor} turned hand-raising off`
        : e.detail.enabled === true
          ? `${actor} turned hand-raising on`
          : `${actor} changed hand-raising`;
    case "admit":
      return `${actor} let ${target} in`;
    case "set_description":
      return `${actor} changed the room's description`;
    default:
      return `${actor}: ${e.action.replace(/_/g, " ")}${e.target ? ` (${target})` : ""}`;
  }
}

/** A line of the instance's audit log, for admins: "@ada: suspend @bob (reason: spam)". */
export function auditText(e: AuditEntry): string {
  const who = e.actor ? `@${e.actor.username}` : e.detail.via === "cli" ? "The command line" : "A former member";
  const whom = e.target ? ` @${e.target.username}` : "";
  const where = e.room ? ` in “${e.room.title}”` : "";
  const facts = Object.entries(e.detail)
    .filter(([k]) => k !== "via")
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ");
  return `${who}: ${e.action.replace(/_/g, " ")}${whom}${where}${facts ? ` (${facts})` : ""}`;
}
