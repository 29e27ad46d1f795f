import type { Me } from "../lib/api-types";
import { navigate } from "../lib/router";
import { Header } from "../shell/Header";
import { EmptyCard } from "../ui/UserRow";
import { AuditTab } from "./AuditTab";
import { InvitesTab } from "./InvitesTab";
import { MembersTab } from "./MembersTab";
import { ReportsTab } from "./ReportsTab";

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
