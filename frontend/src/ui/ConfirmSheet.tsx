import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { errorText } from "../lib/problem";
import { FormError } from "./Field";
import { Sheet } from "./Sheet";

/** "Are you sure?": runs `onConfirm`, shows its error, closes on success. */
export function ConfirmSheet({
  title,
  children,
  confirmLabel,
  busyLabel = "One moment…",
  danger = false,
  onConfirm,
  onClose,
  testid,
  confirmTestid,
}: {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  busyLabel?: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  testid?: string;
  confirmTestid?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err));
    }
  };
  return (
    <Sheet onClose={onClose} label={title} testid={testid}>
      <div class="stack">
        <h2 class="sheet__title">{title}</h2>
        {children}
        <FormError error={error} />
        <button
          type="button"
          class={`button button--block ${danger ? "button--danger" : "button--primary"}`}
          onClick={confirm}
          disabled={busy}
          data-testid={confirmTestid}
        >
          {busy ? busyLabel : confirmLabel}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose} data-autofocus>
          Cancel
        </button>
      </div>
    </Sheet>
  );
}
