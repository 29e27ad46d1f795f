import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { errorText, type ErrorTexts } from "../lib/problem";
import { FormError, TextArea } from "../ui/Field";
import { Sheet } from "../ui/Sheet";

/** As long as the server takes (rooms.DESCRIPTION_MAX). */
export const DESCRIPTION_MAX = 280;

const DESCRIPTION_ERRORS: ErrorTexts = {
  invalid_request: "A description can be up to 280 characters, without special control characters.",
  not_moderator: "Only the room's moderators can change its description.",
};

/**
 * A moderator says what the room is about. Saved, it reaches everyone in the room at
 * once (a `description` change); the sheet closes on the server's answer.
 */
export function DescriptionSheet({ roomId, current, onClose }: { roomId: string; current: string; onClose: () => void }) {
  const [text, setText] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.setRoomDescription(roomId, text.trim());
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't save the description.", DESCRIPTION_ERRORS));
    }
  };
  return (
    <Sheet onClose={onClose} label="Edit the room's description" testid="room-description-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">What is this room about?</h2>
        <TextArea
          label="Description"
          hint="Everyone in the room sees it under the title, and it shows in the hallway."
          rows={4}
          maxLength={DESCRIPTION_MAX}
          value={text}
          onValue={setText}
          data-testid="room-description-input"
        />
        <FormError error={error} />
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="room-description-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </Sheet>
  );
}
