import { useState } from "preact/hooks";
import { adminApi, REPORT_REASONS } from "../lib/admin";
import type { Report } from "../lib/api-types";
import { formatWhen } from "../lib/format";
import { toast } from "../lib/toast";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { SelectField, TextArea } from "../ui/Field";
import { Listing, usePaged } from "./Listing";

const reasonLabel = (r: string) => REPORT_REASONS.find((x) => x.value === r)?.label ?? r;

/** Reports: open or resolved; resolve with a note, or end a reported room that is live. */
export function ReportsTab() {
  const [status, setStatus] = useState<"open" | "resolved">("open");
  const list = usePaged(status, "reports", (c) => adminApi.reports(status, c));
  const [resolving, setResolving] = useState<Report | null>(null);
  const [ending, setEnding] = useState<Report | null>(null);
  return (
    <section class="stack" data-testid="admin-reports">
      <SelectField label="Show" value={status} onValue={setStatus} data-testid="admin-report-status">
        <option value="open">Open</option>
        <option value="resolved">Resolved</option>
      </SelectField>
      <Listing
        list={list}
        empty={status === "open" ? "No open reports." : "No resolved reports yet."}
        testid="admin-report-list"
        render={(r: Report) => (
          <li class="card stack admin-item" key={r.id} data-testid="admin-report" data-id={r.id} data-status={r.status}>
            <p>
              <strong>{reasonLabel(r.reason)}</strong>: {r.reporter ? `@${r.reporter.username}` : "someone"} reported{" "}
              {r.user ? `@${r.user.username}` : r.room ? "a room" : "a member who has left"}
              {r.room ? ` in “${r.room.title || r.context.room?.title || "a room"}”` : ""}
            </p>
            {r.details && <p class="admin-report__details">{r.details}</p>}
            <p class="muted" data-testid="admin-report-context">
              {formatWhen(r.created_at)}
              {r.context.reporter_role ? ` · reporter was ${r.context.reporter_role}` : ""}
              {r.context.target_role ? ` · reported member was ${r.context.target_role}` : ""}
            </p>
            {r.status === "resolved" ? (
              <p class="muted">
                Resolved {r.resolved_at ? formatWhen(r.resolved_at) : ""}
                {r.resolved_by ? ` by @${r.resolved_by.username}` : ""}: {r.resolution}
              </p>
            ) : (
              <div class="row row--wrap">
                <button type="button" class="button button--primary" onClick={() => setResolving(r)} data-testid="admin-resolve">
                  Resolve
                </button>
                {r.room?.live && (
                  <button type="button" class="button button--danger-soft" onClick={() => setEnding(r)} data-testid="admin-end-room">
                    End the room
                  </button>
                )}
              </div>
            )}
          </li>
        )}
      />
      {resolving && (
        <ResolveSheet
          report={resolving}
          onClose={() => setResolving(null)}
          onDone={(done) => list.setItems((items) => items.filter((x) => x.id !== done.id))}
        />
      )}
      {ending?.room && (
        <ConfirmSheet
          title={`End “${ending.room.title}” for everyone?`}
          confirmLabel="End the room"
          danger
          onConfirm={async () => {
            await adminApi.endRoom(ending.room!.id);
            list.reload();
          }}
          onClose={() => setEnding(null)}
          confirmTestid="admin-end-room-confirm"
        />
      )}
    </section>
  );
}

function ResolveSheet({ report, onClose, onDone }: { report: Report; onClose: () => void; onDone: (r: Report) => void }) {
  const [note, setNote] = useState("");
  return (
    <ConfirmSheet
      title="Resolve this report"
      confirmLabel="Resolve"
      onConfirm={async () => {
        onDone(await adminApi.resolve(report.id, note.trim()));
        toast("Report resolved.", "info");
      }}
      onClose={onClose}
      testid="admin-resolve-dialog"
      confirmTestid="admin-resolve-confirm"
    >
      <TextArea
        label="What you did (for the other admins)"
        rows={3}
        maxLength={500}
        value={note}
        onValue={setNote}
        data-testid="admin-resolve-note"
      />
    </ConfirmSheet>
  );
}
