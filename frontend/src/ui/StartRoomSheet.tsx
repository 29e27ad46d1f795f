import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { errorText } from "../lib/load";
import { navigate } from "../lib/router";
import type { ClubRef, Visibility } from "../lib/types";
import type { ComponentChild } from "preact";
import { LockIcon, PeopleIcon } from "./icons";
import { ClubBadge } from "./Avatar";
import { Sheet } from "./Sheet";

const CLUB_ERRORS = { not_member: "Only the club's members can start its rooms." };

/** "Start a room": open or closed; for a club, open or members-only. */
export function StartRoomSheet({ onClose, club }: { onClose: () => void; club?: ClubRef }) {
  const [title, setTitle] = useState("");
  const [visibility, setVisibility] = useState<Visibility>(club ? "club" : "open");
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
      const room = await api.createRoom(t, visibility, club?.id);
      navigate(`/room/${encodeURIComponent(room.id)}`);
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't start the room.", CLUB_ERRORS));
    }
  };

  const option = (value: Visibility, icon: ComponentChild, label: string, hint: string) => (
    <button
      type="button"
      role="radio"
      aria-checked={visibility === value}
      class={`choice__option${visibility === value ? " is-selected" : ""}`}
      onClick={() => setVisibility(value)}
      data-testid={`room-visibility-${value}`}
    >
      {icon}
      <strong>{label}</strong>
      <small>{hint}</small>
    </button>
  );

  return (
    <Sheet onClose={onClose} label={club ? `Start a room in ${club.name}` : "Start a room"} testid="start-room-dialog">
      <form onSubmit={create} class="stack">
        <h2 class="sheet__title">Start a room</h2>
        {club && (
          <p class="club-line">
            <ClubBadge club={club} size={26} /> in <strong>{club.name}</strong>
          </p>
        )}
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
          {option("open", <PeopleIcon size={26} />, "Open", "Any member can join")}
          {club
            ? option("club", <LockIcon size={26} />, "Members only", `Only ${club.name}'s members`)
            : option("closed", <LockIcon size={26} />, "Closed", "Only people you add")}
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
