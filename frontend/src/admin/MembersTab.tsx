import { useEffect, useState } from "preact/hooks";
import { adminApi } from "../lib/admin";
import type { AdminMember, Me } from "../lib/api-types";
import { formatWhen } from "../lib/format";
import { updateMe } from "../lib/session";
import { toast } from "../lib/toast";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { SelectField, TextField } from "../ui/Field";
import { UserRow } from "../ui/UserRow";
import { Listing, usePaged } from "./Listing";
import { GiveInvitesSheet, ResetLinkSheet } from "./MemberSheets";
import { TreeSheet } from "./TreeSheet";

/** Members: search, suspend, admin rights, whom each invited, more invitations, a reset link. */
export function MembersTab({ me }: { me: Me }) {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("all");
  const [typed, setTyped] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(t);
  }, [typed]);
  const list = usePaged(`${q}|${status}`, "members", (c) => adminApi.members(q, status, c));
  const [confirm, setConfirm] = useState<{ member: AdminMember; action: "suspend" | "unsuspend" | "grant" | "revoke" } | null>(null);
  const [tree, setTree] = useState<string | null>(null);
  const [giving, setGiving] = useState<AdminMember | null>(null);
  const [resetting, setResetting] = useState<AdminMember | null>(null);

  const replace = (m: AdminMember) => list.setItems((items) => items.map((x) => (x.id === m.id ? m : x)));
  const act = async () => {
    if (!confirm) return;
    const { member, action } = confirm;
    const call = { suspend: adminApi.suspend, unsuspend: adminApi.unsuspend, grant: adminApi.grantAdmin, revoke: adminApi.revokeAdmin }[action];
    const updated = await call(member.username);
    replace(updated);
    if (member.id === me.id && action === "revoke") updateMe({ is_admin: false });
    toast(`@${member.username}: done.`, "info");
  };

  return (
    <section class="stack" data-testid="admin-members">
      <div class="row row--wrap">
        <TextField
          label="Search"
          fieldStyle="flex:1"
          type="search"
          value={typed}
          placeholder="Username or name"
          onValue={setTyped}
          data-testid="admin-member-search"
        />
        <SelectField label="Show" value={status} onValue={setStatus} data-testid="admin-member-status">
          <option value="all">Everyone</option>
          <option value="active">Active</option>
          <option value="suspended">Suspended</option>
          <option value="admin">Admins</option>
        </SelectField>
      </div>
      <Listing
        list={list}
        empty="No members match."
        testid="admin-member-list"
        render={(m: AdminMember) => (
          <UserRow
            key={m.id}
            user={m}
            testid="admin-member"
            role={m.suspended_at ? "suspended" : m.is_admin ? "admin" : "member"}
            note={
              (m.is_admin || m.suspended_at) && (
              <>
                {m.is_admin && <span class="badge badge--soft">admin</span>}
                {m.suspended_at && (
                  <span class="badge badge--soft" data-testid="admin-member-suspended">
                    suspended {formatWhen(m.suspended_at)}
                  </span>
                )}
              </>
              )
            }
          >
            <div class="row row--wrap admin-actions">
              <button type="button" class="button button--ghost" onClick={() => setTree(m.username)} data-testid="admin-member-tree">
                Tree
              </button>
              <button type="button" class="button button--ghost" onClick={() => setGiving(m)} data-testid="admin-give-invites-button">
                Invitations ({m.invites_left})
              </button>
              <button type="button" class="button button--ghost" onClick={() => setResetting(m)} data-testid="admin-reset-link-button">
                Reset link
              </button>
              {!m.is_admin &&
                (m.suspended_at ? (
                  <button type="button" class="button button--secondary" onClick={() => setConfirm({ member: m, action: "unsuspend" })} data-testid="admin-unsuspend">
                    Unsuspend
                  </button>
                ) : (
                  <button type="button" class="button button--danger-soft" onClick={() => setConfirm({ member: m, action: "suspend" })} data-testid="admin-suspend">
                    Suspend
                  </button>
                ))}
              {!m.suspended_at && (
                <button
                  type="button"
                  class="button button--ghost"
                  onClick={() => setConfirm({ member: m, action: m.is_admin ? "revoke" : "grant" })}
                  data-testid={m.is_admin ? "admin-revoke-admin" : "admin-grant-admin"}
                >
                  {m.is_admin ? "Remove admin" : "Make admin"}
                </button>
              )}
            </div>
          </UserRow>
        )}
      />
      {confirm && (
        <ConfirmSheet
          title={
            {
              suspend: `Suspend @${confirm.member.username}?`,
              unsuspend: `Lift @${confirm.member.username}'s suspension?`,
              grant: `Make @${confirm.member.username} an admin?`,
              revoke: `Remove @${confirm.member.username}'s admin rights?`,
            }[confirm.action]
          }
          confirmLabel={{ suspend: "Suspend", unsuspend: "Unsuspend", grant: "Make admin", revoke: "Remove admin" }[confirm.action]}
          danger={confirm.action === "suspend" || confirm.action === "revoke"}
          onConfirm={act}
          onClose={() => setConfirm(null)}
          testid="admin-confirm"
          confirmTestid="admin-confirm-button"
        >
          <p class="muted">
            {{
              suspend: "They are logged out everywhere at once, leave every room, and can't log in until you lift it.",
              unsuspend: "They can log in again.",
              grant: "Admins see this page: members, invitations, reports and the audit log.",
              revoke: "They keep their account and lose this page.",
            }[confirm.action]}
          </p>
        </ConfirmSheet>
      )}
      {tree && <TreeSheet username={tree} onClose={() => setTree(null)} />}
      {giving && <GiveInvitesSheet member={giving} onGiven={replace} onClose={() => setGiving(null)} />}
      {resetting && <ResetLinkSheet member={resetting} onClose={() => setResetting(null)} />}
    </section>
  );
}
