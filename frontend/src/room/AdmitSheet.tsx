import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { cleanUsername } from "../lib/payload";
import { errorText } from "../lib/problem";
import { toast } from "../lib/toast";
import { FormError, TextField } from "../ui/Field";
import { Sheet } from "../ui/Sheet";

/** "Let someone in": a closed room's moderators admit a member by username. */
export function AdmitSheet({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const [username, setUsername] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const name = cleanUsername(username);
    if (!name) return;
    setBusy(true);
    setError(null);
    try {
      await api.admit(roomId, name);
      toast(`@${name} can join this room now. Send them the link!`, "info");
      setUsername("");
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === "user_not_found"
          ? `There's no member called @${name}.`
          : errorText(err, "Couldn't let them in.", { not_moderator: "Only moderators can let people in." }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Sheet onClose={onClose} label="Let someone in" testid="admit-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Let someone in</h2>
        <p class="muted">This room is closed. Members you let in here may join it.</p>
        <TextField
          label="Username"
          prefix="@"
          name="username"
          autoCapitalize="none"
          spellcheck={false}
          value={username}
          onValue={setUsername}
          data-testid="admit-username"
        />
        <FormError error={error} testid="admit-error" />
        <button type="submit" class="button button--primary button--block" disabled={busy || !username.trim()} data-testid="admit-submit">
          {busy ? "Letting in…" : "Let in"}
        </button>
      </form>
    </Sheet>
  );
}
