import { useState } from "preact/hooks";
import { adminApi } from "../lib/admin";
import type { AdminMember, ResetLink } from "../lib/api-types";
import { copyText } from "../lib/clipboard";
import { plural, relative } from "../lib/format";
import { errorText, type ErrorTexts } from "../lib/problem";
import { toast } from "../lib/toast";
import { FormError, ReadOnlyInput, TextField } from "../ui/Field";
import { CopyIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";

const GIVE_ERRORS: ErrorTexts = {
  invalid_request: "Give between 1 and 100 at a time; a member can hold at most 1,000.",
  user_not_found: "This member no longer exists.",
};

/** "Invitations" on a member's row: give them more to hand out. */
export function GiveInvitesSheet({
  member,
  onGiven,
  onClose,
}: {
  member: AdminMember;
  onGiven: (m: AdminMember) => void;
  onClose: () => void;
}) {
  const [count, setCount] = useState("3");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 100) return setError("A whole number from 1 to 100.");
    setBusy(true);
    setError(null);
    try {
      const updated = await adminApi.giveInvites(member.username, n);
      onGiven(updated);
      toast(`@${member.username} now has ${plural(updated.invites_left, "invitation", "invitations")}.`, "info");
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't give invitations.", GIVE_ERRORS));
    }
  };
  return (
    <Sheet onClose={onClose} label={`Invitations for @${member.username}`} testid="admin-give-invites">
      <form class="stack" onSubmit={submit} noValidate>
        <h2 class="sheet__title">More invitations for @{member.username}</h2>
        <p class="muted" data-testid="admin-invites-left">
          They have {plural(member.invites_left, "invitation", "invitations")} left.
        </p>
        <TextField
          label="How many more"
          inputMode="numeric"
          maxLength={3}
          value={count}
          onValue={setCount}
          data-testid="admin-give-count"
        />
        <FormError error={error} testid="admin-give-error" />
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="admin-give-confirm">
          {busy ? "Giving…" : "Give invitations"}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Cancel
        </button>
      </form>
    </Sheet>
  );
}

/** "Reset link" on a member's row: a one-time link that sets their password, shown once. */
export function ResetLinkSheet({ member, onClose }: { member: AdminMember; onClose: () => void }) {
  const [link, setLink] = useState<ResetLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await adminApi.resetLink(member.username));
    } catch (err) {
      setError(errorText(err, "Couldn't make a reset link.", { user_not_found: "This member no longer exists." }));
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!link) return;
    const ok = await copyText(link.url);
    toast(ok ? "Reset link copied." : "Couldn't copy. Select the link and copy it.", ok ? "info" : "error");
  };
  return (
    <Sheet onClose={onClose} label={`Password reset link for @${member.username}`} testid="admin-reset-link">
      <div class="stack">
        <h2 class="sheet__title">Password reset link for @{member.username}</h2>
        {!link ? (
          <>
            <p class="muted">
              A link that lets them set a new password, once. Send it to them yourself, privately. Using it logs them out
              everywhere; any earlier link of theirs stops working.
            </p>
            <FormError error={error} testid="admin-reset-error" />
            <button type="button" class="button button--primary button--block" onClick={make} disabled={busy} data-testid="admin-reset-make">
              {busy ? "Making…" : "Make the link"}
            </button>
          </>
        ) : (
          <div class="invite-link">
            <ReadOnlyInput value={link.url} aria-label="Password reset link" data-testid="admin-reset-url" />
            <button type="button" class="button button--secondary" onClick={copy} data-testid="admin-reset-copy">
              <CopyIcon /> Copy
            </button>
            <p class="small muted">It works once and expires {relative(link.expires_at)}. We can't show it again.</p>
          </div>
        )}
        <button type="button" class="button button--ghost button--block" onClick={onClose} data-testid="admin-reset-close">
          {link ? "Done" : "Cancel"}
        </button>
      </div>
    </Sheet>
  );
}
