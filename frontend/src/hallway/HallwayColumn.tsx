import { useEffect, useState } from "preact/hooks";
import type { HallwayRoom } from "../lib/api-types";
import { compactCount } from "../lib/format";
import { fetchHallway } from "../lib/hallway";
import { asArray } from "../lib/payload";
import { onLinkClick } from "../lib/router";
import { roomHref } from "../lib/routes";
import { PeopleIcon } from "../ui/icons";

// The server tells only sockets outside a room that the hallway changed (a room of
// thousands would otherwise fetch it thousands of times a second), so a member in a
// room looks again now and then, and whenever the window comes back into focus. Every
// desktop member in a room asks: 30 s keeps a room of 3,000 of them near 100 hallway
// requests a second (each a handful of queries, docs/ARCHITECTURE.md "The hallway").
const REFRESH_MS = 30000;

/**
 * The hallway beside an open room, on a desktop: the live rooms ranked as on the
 * hallway page, the open one marked, each a link that moves the member on (leaving
 * this room, joining that one).
 */
export function HallwayColumn({ currentRoomId }: { currentRoomId: string }) {
  const [rooms, setRooms] = useState<HallwayRoom[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const hallway = await fetchHallway();
        if (!alive) return;
        setRooms(hallway.rooms);
        setFailed(false);
      } catch {
        if (alive) setFailed(true);
      }
    };
    void load();
    const timer = setInterval(() => document.visibilityState === "visible" && void load(), REFRESH_MS);
    const onFocus = () => void load();
    window.addEventListener("focus", onFocus);
    return () => {
      alive = false;
      clearInterval(timer);
      window.removeEventListener("focus", onFocus);
    };
  }, []);

  return (
    <nav class="hallway-column" aria-label="Hallway" data-testid="hallway-column">
      <h2 class="hallway-column__title">Live now</h2>
      {failed && rooms === null && <p class="muted small">Couldn't load the hallway.</p>}
      {rooms !== null && rooms.length === 0 && <p class="muted small">No other rooms are live.</p>}
      <ul class="hallway-column__list">
        {rooms?.map((room) => {
          const current = room.id === currentRoomId;
          const speakers = asArray(room.speakers).length;
          return (
            <li key={room.id}>
              <a
                class={`hallway-column__room${current ? " is-current" : ""}`}
                href={roomHref(room.id)}
                onClick={onLinkClick}
                aria-current={current ? "page" : undefined}
                data-testid="hallway-column-room"
                data-room-id={room.id}
              >
                <strong class="hallway-column__name">{room.title}</strong>
                {typeof room.description === "string" && room.description && (
                  <span class="hallway-column__description" data-testid="hallway-column-description">
                    {room.description}
                  </span>
                )}
                <small class="muted hallway-column__counts">
                  <PeopleIcon size={13} /> {compactCount(room.listener_count)} listening · {speakers} speaking
                </small>
                {current && <small class="hallway-column__here">You're here</small>}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
