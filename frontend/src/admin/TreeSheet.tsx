import { useEffect, useState } from "preact/hooks";
import { adminApi } from "../lib/admin";
import type { TreeNode } from "../lib/api-types";
import { plural } from "../lib/format";
import { errorText } from "../lib/problem";
import { profileHref } from "../lib/routes";
import { onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { Sheet } from "../ui/Sheet";

/** Whom a member invited, and whom they invited: revoke a whole branch's unused invitations. */
export function TreeSheet({ username, onClose }: { username: string; onClose: () => void }) {
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
