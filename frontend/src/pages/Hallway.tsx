import { useCallback, useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { onLinkClick, navigate } from "../lib/router";
import type { Me, RoomSummary, Visibility } from "../lib/types";
import { Avatar } from "../ui/Avatar";
import { Header } from "../ui/Header";
import { BubbleIcon, LockIcon, PeopleIcon, PlusIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";

const REFRESH_MS = 5000;

export function HallwayPage({ me }: { me: Me }) {
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const { rooms } = await api.rooms();
      setRooms(Array.isArray(rooms) ? rooms : []);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Couldn't load the rooms.");
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, REFRESH_MS);
    const onFocus = () => void refresh();
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

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

function RoomCard({ room }: { room: RoomSummary }) {
  const speakers = Array.isArray(room.speakers) ? room.speakers : [];
  const faces = speakers.slice(0, 2);
  const names = speakers.slice(0, 4);
  return (
    <a
      class="card room-card"
      href={`/room/${encodeURIComponent(room.id)}`}
      onClick={onLinkClick}
      data-testid="room-card"
      data-room-id={room.id}
    >
      <div class="room-card__title">
        {room.visibility === "closed" && (
          <span class="lock" title="Closed room">
            <LockIcon size={14} />
          </span>
        )}
        <h3>{room.title}</h3>
      </div>
      <div class="room-card__body">
        <div class={`face-stack${faces.length > 1 ? " face-stack--two" : ""}`}>
          {faces.length ? faces.map((u) => <Avatar key={u.id} user={u} size={46} />) : <Avatar user={room.created_by} size={46} />}
        </div>
        <div class="room-card__people">
          <ul class="speaker-names">
            {names.map((u) => (
              <li key={u.id}>
                {u.display_name} <BubbleIcon size={13} />
              </li>
            ))}
            {speakers.length > names.length && <li class="muted">and {speakers.length - names.length} more</li>}
            {speakers.length === 0 && <li class="muted">Started by {room.created_by.display_name}</li>}
          </ul>
          <p class="room-card__counts">
            <span data-testid="listener-count" data-count={room.listener_count}>
              <PeopleIcon size={15} /> {room.listener_count} listening
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
    </a>
  );
}

function StartRoomSheet({ onClose }: { onClose: () => void }) {
  const [title, setTitle] = useState("");
  const [visibility, setVisibility] = useState<Visibility>("open");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: Event) => {
    event.preventDefault();
    const t = title.trim();
    if (!t) {
      setError("Give your room a title.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const room = await api.createRoom(t, visibility);
      navigate(`/room/${encodeURIComponent(room.id)}`);
    } catch (err) {
      setBusy(false);
      setError(err instanceof ApiError || err instanceof Error ? err.message : "Couldn't start the room.");
    }
  };

  return (
    <Sheet onClose={onClose} label="Start a room" testid="start-room-dialog">
      <form onSubmit={create} class="stack">
        <h2 class="sheet__title">Start a room</h2>
        <label class="field">
          <span>Title</span>
          <input
            name="title"
            maxLength={120}
            placeholder="What do you want to talk about?"
            value={title}
            onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)}
            data-testid="room-title-input"
          />
        </label>
        <div class="choice" role="radiogroup" aria-label="Who can join">
          <button
            type="button"
            role="radio"
            aria-checked={visibility === "open"}
            class={`choice__option${visibility === "open" ? " is-selected" : ""}`}
            onClick={() => setVisibility("open")}
            data-testid="room-visibility-open"
          >
            <PeopleIcon size={26} />
            <strong>Open</strong>
            <small>Any member can join</small>
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={visibility === "closed"}
            class={`choice__option${visibility === "closed" ? " is-selected" : ""}`}
            onClick={() => setVisibility("closed")}
            data-testid="room-visibility-closed"
          >
            <LockIcon size={26} />
            <strong>Closed</strong>
            <small>Only people you add</small>
          </button>
        </div>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button class="button button--primary button--block" type="submit" disabled={busy} data-testid="create-room">
          {busy ? "Starting…" : "Let's go"}
        </button>
      </form>
    </Sheet>
  );
}
