import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { compactCount, formatWhen, hostZoneNote } from "../lib/format";
import { asArray, errorText } from "../lib/load";
import { onLinkClick } from "../lib/router";
import { appSocket } from "../lib/socket";
import type { HallwayEvent, HallwayRoom, Me, Reason, User } from "../lib/types";
import { Avatar, ClubBadge } from "../ui/Avatar";
import { Header } from "../ui/Header";
import { BubbleIcon, CalendarIcon, LockIcon, PeopleIcon, PlusIcon } from "../ui/icons";
import { StartRoomSheet } from "../ui/StartRoomSheet";

const POLL_MS = 5000; // only while the socket is down
const CHANGED_DEBOUNCE_MS = 300;

interface Hallway {
  rooms: HallwayRoom[];
  events: HallwayEvent[];
  /** More rooms rank after these: GET /api/hallway?cursor= gives the next page. */
  nextCursor: string | null;
}

/** GET /api/hallway; before the server has it (404 on the route), the plain room list. */
async function fetchHallway(): Promise<Hallway> {
  try {
    const data = await api.hallway();
    return {
      rooms: asArray<HallwayRoom>(data?.rooms),
      events: asArray<HallwayEvent>(data?.events),
      nextCursor: typeof data?.next_cursor === "string" ? data.next_cursor : null,
    };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.code === "not_found") {
      const { rooms } = await api.rooms();
      return { rooms: asArray<HallwayRoom>(rooms), events: [], nextCursor: null };
    }
    throw err;
  }
}

export function HallwayPage({ me }: { me: Me }) {
  const [hallway, setHallway] = useState<Hallway | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const seq = useRef(0);

  // The next page of rooms, appended; a refresh (the hallway changed) starts again
  // from the first page, and a page that arrives after one is dropped.
  const loadMore = useCallback(async () => {
    const cursor = hallway?.nextCursor;
    if (!cursor || loadingMore) return;
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const data = await api.hallway(cursor);
      if (mine !== seq.current) return;
      const known = new Set(hallway.rooms.map((r) => r.id));
      const more = asArray<HallwayRoom>(data?.rooms).filter((r) => !known.has(r.id));
      setHallway({
        ...hallway,
        rooms: [...hallway.rooms, ...more],
        nextCursor: typeof data?.next_cursor === "string" ? data.next_cursor : null,
      });
    } catch (err) {
      if (mine === seq.current) setError(errorText(err, "Couldn't load more rooms."));
    } finally {
      setLoadingMore(false);
    }
  }, [hallway, loadingMore]);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const data = await fetchHallway();
      if (mine !== seq.current) return;
      setHallway(data);
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      setError(errorText(err, "Couldn't load the hallway."));
    }
  }, []);

  useEffect(() => {
    void refresh();
    let debounce: ReturnType<typeof setTimeout> | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    const soon = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void refresh(), CHANGED_DEBOUNCE_MS);
    };
    // The socket says when the hallway changed; polling is only the fallback while it is down.
    const setPolling = () => {
      const down = !appSocket.isOpen;
      if (down && !poll) {
        poll = setInterval(() => document.visibilityState === "visible" && void refresh(), POLL_MS);
      } else if (!down && poll) {
        clearInterval(poll);
        poll = undefined;
      }
    };
    setPolling();
    const offMessage = appSocket.onMessage((msg) => msg.type === "hallway_changed" && soon());
    const offStatus = appSocket.onStatus(setPolling);
    // Catch up on what changed while the socket was away (the first connection needs nothing).
    const offReady = appSocket.onReady((resumed) => resumed && soon());
    const onFocus = () => soon();
    const onVisible = () => document.visibilityState === "visible" && soon();
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      seq.current++;
      clearTimeout(debounce);
      clearInterval(poll);
      offMessage();
      offStatus();
      offReady();
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  const rooms = hallway?.rooms ?? null;
  const events = hallway?.events ?? [];
  return (
    <div class="page">
      <Header me={me} />
      <main class="hallway">
        <h2 class="section-title">Live now</h2>
        {error && (
          <p class="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {rooms === null && !error && <div class="card room-card skeleton">Looking for rooms…</div>}
        {rooms !== null && rooms.length === 0 && (
          <div class="empty card">
            <p class="empty__title">It's quiet in here</p>
            <p class="muted">No rooms are live right now. Start one and your friends will see it here.</p>
          </div>
        )}
        <ul class="room-list">
          {rooms?.map((room) => (
            <li key={room.id}>
              <RoomCard room={room} />
            </li>
          ))}
        </ul>
        {hallway?.nextCursor && (
          <button type="button" class="button more-rooms" onClick={() => void loadMore()} disabled={loadingMore} data-testid="more-rooms">
            {loadingMore ? "Loading…" : "More rooms"}
          </button>
        )}

        {hallway && (
          <section class="upcoming" aria-label="Upcoming">
            <div class="section-head">
              <h2 class="section-title">Upcoming</h2>
              <a class="pill-link pill-link--small" href="/events/new" onClick={onLinkClick} data-testid="event-new">
                <CalendarIcon size={16} /> Schedule
              </a>
            </div>
            {events.length === 0 ? (
              <p class="muted small upcoming__empty">Nothing scheduled for the next few days.</p>
            ) : (
              <ul class="card event-list">
                {events.map((ev) => (
                  <li key={ev.id}>
                    <EventRow event={ev} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </main>
      <div class="fab-bar">
        <button type="button" class="button button--primary button--fab" onClick={() => setStarting(true)} data-testid="start-room">
          <PlusIcon /> Start a room
        </button>
      </div>
      {starting && <StartRoomSheet onClose={() => setStarting(false)} />}
    </div>
  );
}

function ReasonLine({ reason, testid }: { reason: Reason | null | undefined; testid: string }) {
  if (!reason || typeof reason.text !== "string" || !reason.text) return null;
  const faces = asArray<User>(reason.users).slice(0, 3);
  return (
    <p class="reason" data-testid={testid} data-kind={reason.kind}>
      {faces.length > 0 && (
        <span class="reason__faces" aria-hidden="true">
          {faces.map((u) => (
            <Avatar key={u.id} user={u} size={20} />
          ))}
        </span>
      )}
      <span>{reason.text}</span>
    </p>
  );
}

function ClubLabel({ club }: { club: { id: string; name: string } | null | undefined }) {
  if (!club || typeof club.name !== "string") return null;
  return (
    <span class="club-label" data-testid="club-label">
      <ClubBadge club={club} size={18} />
      {club.name}
    </span>
  );
}

function RoomCard({ room }: { room: HallwayRoom }) {
  const speakers = asArray<User>(room.speakers);
  const faces = speakers.slice(0, 2);
  const names = speakers.slice(0, 4);
  const creator = room.created_by ?? { id: "", username: "", display_name: "" };
  return (
    <a
      class="card room-card"
      href={`/room/${encodeURIComponent(room.id)}`}
      onClick={onLinkClick}
      data-testid="room-card"
      data-room-id={room.id}
    >
      <ClubLabel club={room.club} />
      <div class="room-card__title">
        {(room.visibility === "closed" || room.visibility === "club") && (
          <span class="lock" title={room.visibility === "club" ? "Club members only" : "Closed room"}>
            <LockIcon size={14} />
          </span>
        )}
        <h3>{room.title}</h3>
        {room.demo && (
          <span class="demo-badge muted small" title="Seeded members, no audio" data-testid="demo-badge">
            demo
          </span>
        )}
      </div>
      <div class="room-card__body">
        <div class={`face-stack${faces.length > 1 ? " face-stack--two" : ""}`}>
          {faces.length ? faces.map((u) => <Avatar key={u.id} user={u} size={46} />) : <Avatar user={creator} size={46} />}
        </div>
        <div class="room-card__people">
          <ul class="speaker-names">
            {names.map((u) => (
              <li key={u.id}>
                {u.display_name} <BubbleIcon size={13} />
              </li>
            ))}
            {speakers.length > names.length && <li class="muted">and {speakers.length - names.length} more</li>}
            {speakers.length === 0 && <li class="muted">Started by {creator.display_name}</li>}
          </ul>
          <p class="room-card__counts">
            <span data-testid="listener-count" data-count={room.listener_count}>
              <PeopleIcon size={15} /> {compactCount(room.listener_count)} listening
            </span>
            <span class="dot" aria-hidden="true">
              ·
            </span>
            <span>
              <BubbleIcon size={14} /> {speakers.length} speaking
            </span>
          </p>
        </div>
      </div>
      <ReasonLine reason={room.reason} testid="hallway-room-reason" />
    </a>
  );
}

function EventRow({ event }: { event: HallwayEvent }) {
  const host = event.host;
  const cohosts = asArray<User>(event.cohosts);
  const note = hostZoneNote(event.starts_at, event.time_zone);
  return (
    <a class="event-row" href={`/event/${encodeURIComponent(event.id)}`} onClick={onLinkClick} data-testid="hallway-event" data-event-id={event.id}>
      <span class="event-row__when">
        {formatWhen(event.starts_at)}
        {note && <span class="muted"> {note}</span>}
      </span>
      <strong class="event-row__title">{event.title}</strong>
      <span class="event-row__hosts">
        {host && <Avatar user={host} size={22} />}
        {cohosts.slice(0, 2).map((u) => (
          <Avatar key={u.id} user={u} size={22} />
        ))}
        <span class="muted">
          with {host?.display_name ?? "someone"}
          {cohosts.length > 0 && ` and ${cohosts.length === 1 ? cohosts[0]!.display_name : `${cohosts.length} others`}`}
        </span>
      </span>
      <ClubLabel club={event.club} />
      <ReasonLine reason={event.reason} testid="hallway-event-reason" />
    </a>
  );
}
