import { dismissToast, toastStore } from "../lib/toast";
import { NotificationToast } from "../notifications/NotificationItem";
import { useStore } from "../ui/hooks";

export function Toasts() {
  const toasts = useStore(toastStore);
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((t) =>
        t.kind === "notification" && t.notification ? (
          <NotificationToast key={t.id} n={t.notification} onDismiss={() => dismissToast(t.id)} />
        ) : (
          <button key={t.id} type="button" class={`toast toast--${t.kind}`} data-testid="toast" onClick={() => dismissToast(t.id)}>
            {t.message}
          </button>
        ),
      )}
    </div>
  );
}
