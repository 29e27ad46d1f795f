import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { AuditEntry, User } from "../lib/api-types";
import { auditEntries, describeRoomAction } from "../lib/audit";
import { relative } from "../lib/format";
import { problemOf, type Problem } from "../lib/problem";
import { Avatar } from "../ui/Avatar";
import { Sheet } from "../ui/Sheet";

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
                  <span>{describeRoomAction(e)}</span>
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
