import type { ComponentChild } from "preact";
import { useState } from "preact/hooks";
import { api } from "../lib/api";
import type { ClubRef, Visibility } from "../lib/api-types";
import { errorText, type ErrorTexts } from "../lib/problem";
import { roomHref } from "../lib/routes";
import { navigate } from "../lib/router";
import { ClubBadge } from "../ui/Avatar";
import { FormError, TextArea, TextField } from "../ui/Field";
import { HeartIcon, LockIcon, PeopleIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { DESCRIPTION_MAX } from "../room/DescriptionSheet";

const CLUB_ERRORS: ErrorTexts = { not_club_member: "Only the club's members can start its rooms." };

/**
 * "Start a room": a title, what it is about (optional), and who may join: open, social,
 * closed, or (for a club) members-only; one line says what each means.
 */
export function StartRoomSheet({ onClose, club }: { onClose: () => void; club?: ClubRef }) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
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
      const room = await api.createRoom(t, visibility, club?.id, description.trim());
      navigate(roomHref(room.id));
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
      <span class="choice__icon" aria-hidden="true">
        {icon}
      </span>
      <span class="choice__text">
        <strong>{label}</strong>
        <small>{hint}</small>
      </span>
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
        <TextField
          label="Title"
          name="title"
          maxLength={120}
          placeholder="What do you want to talk about?"
          value={title}
          onValue={setTitle}
          data-testid="room-title-input"
        />
        <TextArea
          label="Description (optional)"
          rows={2}
          maxLength={DESCRIPTION_MAX}
          placeholder="A sentence or two for the hallway"
          value={description}
          onValue={setDescription}
          data-testid="room-description-input"
        />
        <div class="choice choice--list" role="radiogroup" aria-label="Who can join">
          {club && option("club", <LockIcon size={22} />, "Club members", `Only ${club.name}'s members`)}
          {option("open", <PeopleIcon size={22} />, "Open", "Any member can find it and join")}
          {option("social", <HeartIcon size={22} />, "Social", "People the moderators follow")}
          {option("closed", <LockIcon size={22} />, "Closed", "Only people you let in")}
        </div>
        <FormError error={error} />
        <button class="button button--primary button--block" type="submit" disabled={busy} data-testid="create-room">
          {busy ? "Starting…" : "Let's go"}
        </button>
      </form>
    </Sheet>
  );
}
