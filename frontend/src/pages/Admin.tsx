import { useEffect, useState } from "preact/hooks";
import { type AdminInvite, type AdminMember, adminApi, type InviteStatus, type TreeNode } from "../lib/admin";
import { formatWhen, plural } from "../lib/format";
import { errorText } from "../lib/load";
import { navigate, onLinkClick } from "../lib/router";
import { updateMe } from "../lib/session";
import { toast } from "../lib/toast";
import type { Me } from "../lib/types";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { Header } from "../ui/Header";
import { Sheet } from "../ui/Sheet";
import { EmptyCard, UserRow, profileHref } from "../ui/UserRow";
import { Listing, usePaged } from "./AdminList";
import { AuditTab, ReportsTab } from "./AdminReports";

type Tab = "members" | "invites" | "reports" | "audit";
const TABS: { id: Tab; label: string }[] = [
  { id: "members", label: "Members" },
  { id: "invites", label: "Invitations" },
  { id: "reports", label: "Reports" },
  { id: "audit", label: "Audit log" },
];

/** `/admin?tab=`: the instance admins' page (docs/API-ADMIN.md). */
export function AdminPage({ me, tab }: { me: Me; tab: string | null }) {
  const current: Tab = TABS.some((t) => t.id === tab) ? (tab as Tab) : "members";
  if (!me.is_admin) {
    return (
      <div class="page">
        <Header me={me} />
        <main class="narrow">
          <EmptyCard title="Admins only" testid="admin-forbidden">
            <p class="muted">This page is for the instance's admins.</p>
          </EmptyCard>
        </main>
      </div>
    );
  }
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack" data-testid="admin-page">
        <h1 class="page-title">Admin</h1>
        <nav class="tabs" aria-label="Administration">
          {TABS.map((t) => (
            <a
              key={t.id}
              class={`tabs__tab${t.id === current ? " is-current" : ""}`}
              href={`/admin?tab=${t.id}`}
              aria-current={t.id === current ? "page" : undefined}
              data-testid={`admin-tab-${t.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/admin?tab=${t.id}`, { replace: true });
              }}
            >
              {t.label}
            </a>
          ))}
        </nav>
        {current === "members" && <MembersTab me={me} />}
        {current === "invites" && <InvitesTab />}
        {current === "reports" && <ReportsTab />}
        {current === "audit" && <AuditTab />}
      </main>
    </div>
  );
}

// -- members -----------------------------------------------------------------------------

function MembersTab({ me }: { me: Me }) {
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
        <label class="field" style="flex:1">
          <span>Search</span>
          <input
            type="search"
            value={typed}
            placeholder="Username or name"
            onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
            data-testid="admin-member-search"
          />
        </label>
        <label class="field">
          <span>Show</span>
          <select value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)} data-testid="admin-member-status">
            <option value="all">Everyone</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
            <option value="admin">Admins</option>
          </select>
        </label>
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
    </section>
  );
}

function TreeSheet({ username, onClose }: { username: string; onClose: () => void }) {
  const [root, setRoot] = useState<TreeNode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const load = () =>
    adminApi.tree(username).then(setRoot, (err: unknown) => setError(errorText(err, "Couldn't load the invitation tree.")));
  useEffect(() => {
    void load();
  }, [username]);
  const unused = (n: TreeNode): number => n.unused_invites + n.children.reduce((sum, c) => sum + unused(c), 0);
  const revoke = async () => {
    const { revoked } = await adminApi.revokeBranch(username);
    toast(`${plural(revoked, "invitation", "invitations")} revoked.`, "info");
    await load();
  };
  return (
    <Sheet onClose={onClose} label={`Invitation tree of @${username}`} testid="admin-tree-dialog">
      <div class="stack">
        <h2 class="sheet__title">Whom @{username} invited</h2>
        {error && <p class="form-error">{error}</p>}
        {root && (
          <>
            <ul class="admin-tree" data-testid="admin-tree">
              <TreeItem node={root} />
            </ul>
            <button
              type="button"
              class="button button--danger-soft button--block"
              disabled={unused(root) === 0}
              onClick={() => setRevoking(true)}
              data-testid="admin-revoke-branch"
            >
              Revoke {plural(unused(root), "unused invitation", "unused invitations")} in this branch
            </button>
          </>
        )}
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Close
        </button>
      </div>
      {revoking && root && (
        <ConfirmSheet
          title="Revoke this branch's invitations?"
          confirmLabel="Revoke"
          danger
          onConfirm={revoke}
          onClose={() => setRevoking(false)}
          confirmTestid="admin-revoke-branch-confirm"
        >
          <p class="muted">The unused invitation links of @{username} and of everyone below them stop working. Nobody is told.</p>
        </ConfirmSheet>
      )}
    </Sheet>
  );
}

function TreeItem({ node }: { node: TreeNode }) {
  const m = node.member;
  return (
    <li data-testid="admin-tree-node" data-user={m.username} data-unused={node.unused_invites}>
      <a href={profileHref(m.username)} onClick={onLinkClick}>
        @{m.username}
      </a>{" "}
      <small class="muted">
        {plural(node.unused_invites, "unused invitation", "unused invitations")}
        {m.is_admin ? " · admin" : ""}
        {m.suspended ? " · suspended" : ""}
      </small>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((c) => (
            <TreeItem key={c.member.id} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

// -- invitations -----------------------------------------------------------------------------

function InvitesTab() {
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
      <label class="field">
        <span>Show</span>
        <select value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as InviteStatus)} data-testid="admin-invite-status">
          <option value="unused">Unused</option>
          <option value="used">Used</option>
          <option value="expired">Expired</option>
          <option value="revoked">Revoked</option>
          <option value="all">All</option>
        </select>
      </label>
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

