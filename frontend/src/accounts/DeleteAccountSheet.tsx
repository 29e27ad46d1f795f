import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { errorText } from "../lib/problem";
import { navigate } from "../lib/router";
import { signedOut } from "../lib/session";
import { toast } from "../lib/toast";
import { FormError, TextField } from "../ui/Field";
import { Sheet } from "../ui/Sheet";

/** "Delete my account": asks for the password, then it is gone for good. */
export function DeleteAccountSheet({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!password) {
      setError("Enter your password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.deleteAccount(password);
      signedOut();
      navigate("/login", { replace: true });
      toast("Your account was deleted. Goodbye, and thank you.", "info", 8000);
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't delete your account.", { bad_credentials: "That password isn't right." }));
    }
  };
  return (
    <Sheet onClose={onClose} label="Delete your account" testid="delete-account-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Delete your account?</h2>
        <p class="muted">
          Your profile, follows, invitations, notifications and everything else that names you are deleted, for good. Clubs
          you founded pass to another admin. This can't be undone.
        </p>
        <TextField
          label="Your password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          data-testid="delete-password"
        />
        <FormError error={error} testid="delete-error" />
        <button type="submit" class="button button--danger button--block" disabled={busy || !password} data-testid="delete-confirm">
          {busy ? "Deleting…" : "Delete my account"}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Keep my account
        </button>
      </form>
    </Sheet>
  );
}
