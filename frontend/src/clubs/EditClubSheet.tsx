import { useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Club } from "../lib/api-types";
import { errorText } from "../lib/problem";
import { FormError, TextArea } from "../ui/Field";
import { Sheet } from "../ui/Sheet";
import { CLUB_ERRORS } from "./errors";

/** A club's admins edit its description and house rules. */
export function EditClubSheet({ club, onSaved, onClose }: { club: Club; onSaved: (c: Club) => void; onClose: () => void }) {
  const [description, setDescription] = useState(club.description ?? "");
  const [rules, setRules] = useState(club.rules ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateClub(club.id, { description: description.trim(), rules: rules.trim() });
      onSaved(updated && typeof updated === "object" && updated.id ? updated : { ...club, description: description.trim(), rules: rules.trim() });
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't save.", CLUB_ERRORS));
    }
  };
  return (
    <Sheet onClose={onClose} label="Edit the club" testid="club-edit-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">{club.name}</h2>
        <TextArea label="What's it about?" rows={4} maxLength={1000} value={description} onValue={setDescription} data-testid="club-description-input" />
        <TextArea label="House rules" rows={4} maxLength={2000} value={rules} onValue={setRules} data-testid="club-rules-input" />
        <FormError error={error} />
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="club-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </Sheet>
  );
}
