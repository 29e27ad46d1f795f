import { useState } from "preact/hooks";
import { adminApi, REPORT_REASONS } from "../lib/admin";
import type { ReportReason } from "../lib/api-types";
import { errorText } from "../lib/problem";
import { toast } from "../lib/toast";
import { FormError, SelectField, TextArea } from "../ui/Field";
import { Sheet } from "../ui/Sheet";

/** What the room's menus and a profile ask to report: a member (in a room) or a room itself. */
export interface ReportTarget {
  userId?: string;
  roomId?: string;
  /** What is reported, as the member sees it ("@ada", "this room"). */
  name: string;
}

export type OnReport = (target: ReportTarget) => void;

const DETAILS_MAX = 1000;

/**
 * "Report": a reason and optional details about a member, a room, or a member in a room.
 * The server notes the room and everyone's role in it at this moment; nothing is recorded.
 */
export function ReportSheet({
  userId,
  roomId,
  name,
  onClose,
}: {
  userId?: string;
  roomId?: string;
  /** What is reported, as the member sees it ("@ada", "this room"). */
  name: string;
  onClose: () => void;
}) {
  const [reason, setReason] = useState<ReportReason | "">("");
  const [details, setDetails] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason) {
      setError({ code: "invalid_request", text: "Choose a reason." });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: { user_id?: string; room_id?: string; reason: ReportReason; details: string } = {
        reason,
        details: details.trim(),
      };
      if (userId) body.user_id = userId;
      if (roomId) body.room_id = roomId;
      await adminApi.report(body);
      toast("Thanks. The admins will look at your report.", "info");
      onClose();
    } catch (err) {
      setBusy(false);
      const code = (err as { code?: string }).code ?? "unknown";
      setError({
        code,
        text: errorText(err, "Couldn't send the report.", {
          too_many_reports: "You've sent several reports in the last hour. The admins will look at those first.",
        }),
      });
    }
  };

  return (
    <Sheet onClose={onClose} label={`Report ${name}`} testid="report-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Report {name}</h2>
        <p class="muted">Only the instance's admins see reports. Teahouse never records a room's audio.</p>
        <SelectField<ReportReason | "">
          label="Reason"
          value={reason}
          onValue={setReason}
          data-testid="report-reason"
          required
        >
          <option value="" disabled>
            Choose one…
          </option>
          {REPORT_REASONS.map((r) => (
            <option value={r.value} key={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        <TextArea
          label="What happened (optional)"
          rows={4}
          maxLength={DETAILS_MAX}
          value={details}
          onValue={setDetails}
          data-testid="report-details"
          hint={`${details.length}/${DETAILS_MAX}`}
        />
        <FormError error={error?.text} testid="report-error" code={error?.code} />
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="report-submit">
          {busy ? "Sending…" : "Send report"}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Cancel
        </button>
      </form>
    </Sheet>
  );
}
