import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import type { User } from "../lib/api-types";
import { asArray, cleanUsername, USERNAME_RE } from "../lib/payload";
import { errorText } from "../lib/problem";
import { toast } from "../lib/toast";
import { TextField } from "../ui/Field";
import { Sheet } from "../ui/Sheet";
import { LoadMore, UserRow } from "../ui/UserRow";

type PingState = "sending" | "sent" | "already" | "not_allowed" | "not_found" | "failed";

const PAGE = 100;
const AUTO_PAGES = 5; // up to 500 people load at once; more behind "Load more"

const NOTE: Record<PingState, string> = {
  sending: "Pinging…",
  sent: "Pinged",
  already: "Already pinged",
  not_allowed: "Can't join this room",
  not_found: "Not found",
  failed: "Didn't go through",
};

/**
 * "Ping someone into this room": the people you follow, filtered as you type, a Ping
 * button each; a username you type that isn't in the list can be pinged too.
 */
export function PingSheet({
  me,
  roomId,
  inRoom,
  onClose,
}: {
  me: User;
  roomId: string;
  /** Usernames already in the room. */
  inRoom: Set<string>;
  onClose: () => void;
}) {
  const [people, setPeople] = useState<User[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const [states, setStates] = useState<Record<string, PingState>>({});
  const live = useRef(true);

  const fetchFrom = async (start: string | null, pages: number) => {
    setLoading(true);
    setLoadError(null);
    let after = start;
    try {
      for (let i = 0; i < pages; i++) {
        const page = await api.following(me.username, after, PAGE);
        if (!live.current) return;
        const list = asArray<User>(page?.users);
        setPeople((now) => {
          const known = new Set(now.map((u) => u.username));
          return [...now, ...list.filter((u) => typeof u.username === "string" && !known.has(u.username))];
        });
        after = typeof page?.next_cursor === "string" ? page.next_cursor : null;
        if (!after) break;
      }
      setCursor(after);
    } catch (err) {
      if (live.current) setLoadError(errorText(err, "Couldn't load the people you follow."));
    } finally {
      if (live.current) setLoading(false);
    }
  };

  useEffect(() => {
    live.current = true;
    void fetchFrom(null, AUTO_PAGES);
    return () => {
      live.current = false;
    };
  }, [me.username]);

  const needle = filter.trim().replace(/^@/, "").toLowerCase();
  // People who could still come in first; those already in the room last.
  const shown = useMemo(() => {
    const matching = needle
      ? people.filter((u) => u.username.toLowerCase().includes(needle) || (u.display_name ?? "").toLowerCase().includes(needle))
      : people;
    return [...matching.filter((u) => !inRoom.has(u.username)), ...matching.filter((u) => inRoom.has(u.username))];
  }, [people, needle, inRoom]);
  const typed = cleanUsername(filter);
  const offerTyped = USERNAME_RE.test(typed) && typed !== me.username && !people.some((u) => u.username === typed);

  const ping = async (username: string) => {
    setStates((s) => ({ ...s, [username]: "sending" }));
    let result: PingState = "sent";
    try {
      await api.ping(roomId, username);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "";
      result =
        code === "already_pinged"
          ? "already"
          : code === "ping_not_allowed"
            ? "not_allowed"
            : code === "user_not_found"
              ? "not_found"
              : "failed";
      if (result === "not_allowed") {
        toast(`@${username} can't be pinged into this room: they can't enter it, or you don't follow them.`);
      } else if (result === "failed") {
        toast(errorText(err, "The ping didn't go through.", { not_in_room: "You need to be in the room to ping people." }));
      }
    }
    if (live.current) setStates((s) => ({ ...s, [username]: result }));
  };

  const action = (username: string) => {
    if (inRoom.has(username)) return <span class="badge">In the room</span>;
    const st = states[username];
    if (st && st !== "failed") {
      return (
        <span class={`badge ${st === "sent" ? "badge--green" : ""}`} data-testid="ping-status" data-state={st}>
          {NOTE[st]}
        </span>
      );
    }
    return (
      <button type="button" class="button button--green button--small" onClick={() => ping(username)} data-testid="ping-send">
        {st === "failed" ? "Try again" : "Ping"}
      </button>
    );
  };

  return (
    <Sheet onClose={onClose} label="Ping people into this room" testid="ping-dialog">
      <div class="stack ping-sheet">
        <div>
          <h2 class="sheet__title">Ping people in</h2>
          <p class="muted small">They get a notification with a button to join you.</p>
        </div>
        <TextField
          label="Search the people you follow"
          hiddenLabel
          type="search"
          placeholder="Search people you follow"
          autoComplete="off"
          autoCapitalize="none"
          spellcheck={false}
          value={filter}
          onValue={setFilter}
          data-testid="ping-search"
        />
        {loadError && <p class="form-error">{loadError}</p>}
        <ul class="user-list user-list--flat ping-list">
          {offerTyped && (
            <UserRow key={`typed:${typed}`} user={{ id: `typed:${typed}`, username: typed, display_name: typed }} testid="ping-target" link={false}>
              {action(typed)}
            </UserRow>
          )}
          {shown.map((u) => (
            <UserRow key={u.id || u.username} user={u} testid="ping-target" link={false}>
              {action(u.username)}
            </UserRow>
          ))}
        </ul>
        {loading && <p class="muted small center">Loading the people you follow…</p>}
        {!loading && !loadError && people.length === 0 && !offerTyped && (
          <p class="muted small center">You don't follow anyone yet. Type a username to ping someone.</p>
        )}
        {!loading && people.length > 0 && shown.length === 0 && !offerTyped && <p class="muted small center">No one you follow matches.</p>}
        {cursor && !loading && <LoadMore onClick={() => void fetchFrom(cursor, 1)} busy={loading} />}
      </div>
    </Sheet>
  );
}
