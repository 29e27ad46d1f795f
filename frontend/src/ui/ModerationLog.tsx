import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import { relative } from "../lib/format";
import { problemOf, type Problem } from "../lib/load";
import type { AuditEntry, User } from "../lib/types";
import { Avatar } from "./Avatar";
import { Sheet } from "./Sheet";

/**
 * A room's moderation log (GET /api/rooms/{id}/audit?cursor=), newest first, for its
 * moderators. The route is young: every field is checked, and an entry this client
 * doesn't know is still shown by its action name.
 */
export function ModerationLog({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = async (cursor: string | null) => {
    setLoading(true);
    setProblem(null);
    try {
      const page = await api.roomAudit(roomId, cursor);
      const fresh = auditEntries(page?.entries);
      setEntries((old) => {
        const seen = new Set(old.map((e) => e.id));
        return [...(cursor ? old : []), ...fresh.filter((e) => !cursor || !seen.has(e.id))];
      });
      setNext(typeof page?.next_cursor === "string" && page.next_cursor ? page.next_cursor : null);
    } catch (err) {
      setProblem(problemOf(err, "Couldn't load the moderation log."));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, [roomId]);

  const problemText =
    problem?.code === "room_not_found"
      ? "Only this room's creator and moderators can read its log."
      : problem?.message;

  return (
    <Sheet onClose={onClose} label="Moderation log" testid="audit-log">
      <div class="stack">
        <h2 class="sheet__title">Moderation log</h2>
        {entries.length === 0 && !loading && !problem && (
          <p class="muted" data-testid="audit-empty">
            Nothing yet. Moderators' actions in this room show up here.
          </p>
        )}
        {entries.length > 0 && (
          <ul class="audit-list">
            {entries.map((e) => (
              <li key={e.id} class="audit-entry" data-testid="audit-entry" data-action={e.action}>
                <Avatar user={e.actor ?? UNKNOWN} size={32} />
                <span class="audit-entry__text">
                  <span>{describe(e)}</span>
                  {e.at && (
                    <time class="muted small" dateTime={e.at} title={new Date(e.at).toLocaleString()}>
                      {relative(e.at)}
                    </time>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
        {problem && (
          <p class="form-error" role="alert" data-testid="audit-error" data-code={problem.code}>
            {problemText}
          </p>
        )}
        {(next || loading) && (
          <button
            type="button"
            class="button button--secondary button--block"
            disabled={loading}
            onClick={() => void load(next)}
            data-testid="audit-more"
          >
            {loading ? "Loading…" : "Show older"}
          </button>
        )}
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Close
        </button>
      </div>
    </Sheet>
  );
}

const UNKNOWN: User = { id: "", username: "?", display_name: "?" };

function userOf(raw: unknown): User | null {
  const u = raw as Partial<User> | null | undefined;
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
      detail: o.detail && typeof o.detail === "object" ? (o.detail as Record<string, unknown>) : {},
    });
  });
  return out;
}

/** "Ada muted Bob". */
export function describe(e: AuditEntry): string {
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
    default:
      return `${actor}: ${e.action.replace(/_/g, " ")}${e.target ? ` (${target})` : ""}`;
  }
}
