import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { problemOf, type ErrorTexts } from "../lib/problem";
import { toast } from "../lib/toast";
import { FormError, TextField } from "../ui/Field";

const CHANGE_ERRORS: ErrorTexts = {
  bad_credentials: "That isn't your current password. Nothing was changed.",
  weak_password: "The new password needs at least 10 characters, at most 256.",
  too_many_attempts: "Too many wrong passwords. Wait a few minutes, then try again.",
};

/** Settings' "Password": the current one, then the new one; every other session ends. */
export function PasswordSection() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!current) return setError({ code: "form", message: "Enter your current password." });
    if (next.length < 10) return setError({ code: "form", message: "The new password needs at least 10 characters." });
    if (next.length > 256) return setError({ code: "form", message: "The new password can have at most 256 characters." });
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, next);
      setCurrent("");
      setNext("");
      toast("Password changed. You're logged out on every other device.", "info", 6000);
    } catch (err) {
      setError(problemOf(err, "Couldn't change your password.", CHANGE_ERRORS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card stack" data-testid="password-section">
      <h2 class="card-title">Password</h2>
      <form class="stack" onSubmit={submit} noValidate data-testid="password-form">
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          maxLength={256}
          value={current}
          onValue={setCurrent}
          data-testid="password-current"
        />
        <TextField
          label="New password"
          hint="At least 10 characters. Every other device you're logged in on is logged out."
          type="password"
          autoComplete="new-password"
          maxLength={256}
          value={next}
          onValue={setNext}
          data-testid="password-new"
        />
        <FormError error={error?.message} testid="password-error" code={error?.code} />
        <button type="submit" class="button button--secondary button--block" disabled={busy} data-testid="password-submit">
          {busy ? "Changing…" : "Change password"}
        </button>
      </form>
    </section>
  );
}
