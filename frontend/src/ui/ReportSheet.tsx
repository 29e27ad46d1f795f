import { useState } from "preact/hooks";
import { adminApi, REPORT_REASONS, type ReportReason } from "../lib/admin";
import { errorText } from "../lib/load";
import { toast } from "../lib/toast";
import { Sheet } from "./Sheet";

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
        <label class="field">
          <span>Reason</span>
          <select
            value={reason}
            onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as ReportReason)}
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
          </select>
        </label>
        <label class="field">
          <span>What happened (optional)</span>
          <textarea
            rows={4}
            maxLength={DETAILS_MAX}
            value={details}
            onInput={(e) => setDetails((e.currentTarget as HTMLTextAreaElement).value)}
            data-testid="report-details"
          />
          <small class="field__hint">
            {details.length}/{DETAILS_MAX}
          </small>
        </label>
        {error && (
          <p class="form-error" role="alert" data-testid="report-error" data-code={error.code}>
            {error.text}
          </p>
        )}
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
