import { useStore } from "../lib/store";
import { dismissToast, toastStore } from "../lib/toast";

export function Toasts() {
  const toasts = useStore(toastStore);
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((t) => (
        <button
          key={t.id}
          type="button"
          class={`toast toast--${t.kind}`}
          data-testid="toast"
          onClick={() => dismissToast(t.id)}
        >
          {t.message}
        </button>
      ))}
    </div>
  );
}
