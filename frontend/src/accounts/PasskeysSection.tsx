import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Passkey } from "../lib/api-types";
import { formatDate } from "../lib/format";
import { browserRefusal, createPasskey, passkeysSupported } from "../lib/passkeys";
import { errorText, type ErrorTexts } from "../lib/problem";
import { toast } from "../lib/toast";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { FormError, TextField } from "../ui/Field";
import { KeyIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";

const ADD_ERRORS: ErrorTexts = {
  bad_credentials: "That password isn't right.",
  too_many_attempts: "Too many wrong passwords. Wait a few minutes, then try again.",
  too_many_passkeys: "You have as many passkeys as an account may have. Remove one first.",
  passkey_rejected: "Teahouse couldn't verify that passkey. Try again, or another device.",
  passkey_exists: "That passkey is already on your account.",
  passkey_challenge_expired: "That took too long. Try again.",
};

/** Settings' "Passkeys": the member's passkeys, adding one (after the password) and removing one. */
export function PasskeysSection() {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const supported = passkeysSupported();
  useEffect(() => {
    let live = true;
    api.passkeys().then(
      (r) => live && setPasskeys(r.passkeys),
      (err: unknown) => live && setError(errorText(err, "Couldn't load your passkeys.")),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <section class="card stack" data-testid="passkeys">
      <h2 class="card-title">Passkeys</h2>
      <p class="muted">
        Log in with your phone's or computer's screen lock, or a security key, instead of typing your password. Teahouse
        keeps only a public key: nothing that could log anyone in.
      </p>
      {error && <p class="form-error">{error}</p>}
      {passkeys && passkeys.length > 0 && (
        <ul class="invite-list passkey-list" data-testid="passkey-list">
          {passkeys.map((p) => (
            <li key={p.id} class="invite-row" data-testid="passkey-row" data-passkey-id={p.id}>
              <span class="invite-row__blank">
                <KeyIcon />
              </span>
              <div class="invite-row__text">
                <span data-testid="passkey-name">{p.name}</span>
                <small class="muted">added {formatDate(p.created_at)}</small>
              </div>
              <button type="button" class="button button--secondary button--small" onClick={() => setRemoving(p)} data-testid="passkey-remove">
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {passkeys && passkeys.length === 0 && <p class="muted">You have no passkeys yet.</p>}
      {supported ? (
        <button type="button" class="button button--secondary button--block" onClick={() => setAdding(true)} data-testid="passkey-add">
          <KeyIcon /> Add a passkey
        </button>
      ) : (
        <p class="muted small" data-testid="passkeys-unsupported">
          This browser can't use passkeys here. They need a browser with passkeys and this Teahouse on a domain name over
          HTTPS.
        </p>
      )}
      {adding && (
        <AddPasskeySheet
          onClose={() => setAdding(false)}
          onAdded={(p) => {
            setPasskeys((list) => [...(list ?? []), p]);
            setAdding(false);
            toast("Passkey added. You can log in with it now.", "info");
          }}
        />
      )}
      {removing && (
        <ConfirmSheet
          title={`Remove “${removing.name}”?`}
          confirmLabel="Remove passkey"
          busyLabel="Removing…"
          danger
          onClose={() => setRemoving(null)}
          confirmTestid="passkey-remove-confirm"
          onConfirm={async () => {
            await api.removePasskey(removing.id);
            setPasskeys((list) => (list ?? []).filter((p) => p.id !== removing.id));
            toast("Passkey removed.", "info");
          }}
        >
          <p class="muted">It stops logging you in at once. Your device may still offer it: remove it there too.</p>
        </ConfirmSheet>
      )}
    </section>
  );
}

/** A name and the password, then the browser's own prompt makes the passkey. */
function AddPasskeySheet({ onClose, onAdded }: { onClose: () => void; onAdded: (p: Passkey) => void }) {
  const [name, setName] = useState("");
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
      const { ceremony, options } = await api.passkeyOptions(password);
      const credential = await createPasskey(options);
      onAdded(await api.addPasskey(ceremony, name.trim() || "Passkey", credential));
    } catch (err) {
      setBusy(false);
      setError(browserRefusal(err) ?? errorText(err, "Couldn't add the passkey.", ADD_ERRORS));
    }
  };
  return (
    <Sheet onClose={onClose} label="Add a passkey" testid="passkey-add-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Add a passkey</h2>
        <TextField
          label="Name"
          hint="So you know which one it is: “Phone”, “Laptop”, “Blue key”."
          maxLength={60}
          placeholder="Passkey"
          value={name}
          onValue={setName}
          data-testid="passkey-name-input"
        />
        <TextField
          label="Your password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          data-testid="passkey-password"
        />
        <FormError error={error} testid="passkey-error" />
        <button type="submit" class="button button--primary button--block" disabled={busy || !password} data-testid="passkey-create">
          {busy ? "Waiting for your device…" : "Continue"}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Cancel
        </button>
      </form>
    </Sheet>
  );
}
