import { useState } from "preact/hooks";
import { adminApi } from "../lib/admin";
import type { AdminInvite, InviteStatus } from "../lib/api-types";
import { formatWhen } from "../lib/format";
import { toast } from "../lib/toast";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { SelectField } from "../ui/Field";
import { Listing, usePaged } from "./Listing";

/** Invitations: every link of the instance, by status; revoke an unused one. */
export function InvitesTab() {
  const [status, setStatus] = useState<InviteStatus>("unused");
  const list = usePaged(status, "invites", (c) => adminApi.invites(status, c));
  const [revoking, setRevoking] = useState<AdminInvite | null>(null);
  const revoke = async () => {
    if (!revoking) return;
    await adminApi.revokeInvite(revoking.id);
    list.setItems((items) => items.map((i) => (i.id === revoking.id ? { ...i, status: "revoked" } : i)));
    toast("Invitation revoked.", "info");
  };
  return (
    <section class="stack" data-testid="admin-invites">
      <SelectField label="Show" value={status} onValue={setStatus} data-testid="admin-invite-status">
        <option value="unused">Unused</option>
        <option value="used">Used</option>
        <option value="expired">Expired</option>
        <option value="revoked">Revoked</option>
        <option value="all">All</option>
      </SelectField>
      <Listing
        list={list}
        empty="No invitations here."
        testid="admin-invite-list"
        render={(i: AdminInvite) => (
          <li class="card admin-item" key={i.id} data-testid="admin-invite" data-id={i.id} data-status={i.status}>
            <div>
              <strong>{i.created_by ? `@${i.created_by.username}` : "The instance"}</strong>{" "}
              <span class="badge badge--soft">{i.status}</span>
              <p class="muted">
                Made {formatWhen(i.created_at)}
                {i.used_by ? ` · used by @${i.used_by.username}` : ` · expires ${formatWhen(i.expires_at)}`}
              </p>
            </div>
            {i.status === "unused" && (
              <button type="button" class="button button--danger-soft" onClick={() => setRevoking(i)} data-testid="admin-revoke-invite">
                Revoke
              </button>
            )}
          </li>
        )}
      />
      {revoking && (
        <ConfirmSheet title="Revoke this invitation?" confirmLabel="Revoke" danger onConfirm={revoke} onClose={() => setRevoking(null)} confirmTestid="admin-revoke-invite-confirm">
          <p class="muted">Its link stops working. It is not given back to its creator.</p>
        </ConfirmSheet>
      )}
    </section>
  );
}
