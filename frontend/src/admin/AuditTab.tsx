import { adminApi } from "../lib/admin";
import type { AuditEntry } from "../lib/api-types";
import { auditText } from "../lib/audit";
import { formatWhen } from "../lib/format";
import { Listing, usePaged } from "./Listing";

/** The instance's audit log, newest first. */
export function AuditTab() {
  const list = usePaged("audit", "entries", (c) => adminApi.audit(c));
  return (
    <section class="stack" data-testid="admin-audit">
      <Listing
        list={list}
        empty="Nothing has happened yet."
        testid="admin-audit-list"
        render={(e: AuditEntry) => (
          <li class="admin-item" key={e.id} data-testid="admin-audit-entry" data-action={e.action}>
            <span>{auditText(e)}</span>
            <small class="muted">{formatWhen(e.at)}</small>
          </li>
        )}
      />
    </section>
  );
}
