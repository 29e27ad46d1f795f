import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Me } from "../lib/api-types";
import { fetchHallway, moreHallwayRooms, type Hallway } from "../lib/hallway";
import { errorText } from "../lib/problem";
import { onLinkClick } from "../lib/router";
import { appSocket } from "../lib/socket";
import { Header } from "../shell/Header";
import { CalendarIcon, PlusIcon } from "../ui/icons";
import { EventRow, RoomCard } from "./RoomCard";
import { StartRoomSheet } from "./StartRoomSheet";

const POLL_MS = 5000; // only while the socket is down
const CHANGED_DEBOUNCE_MS = 300;

/** `/`: the rooms live now, ranked for the member (with why), then what is coming up. */
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
      const next = await moreHallwayRooms(hallway, cursor);
      if (mine !== seq.current) return;
      setHallway(next);
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
    <div class="page page--wide">
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
