import { useEffect, useState } from "preact/hooks";
import type { Me } from "../lib/api-types";
import { loadMoreNotifications, markRead, notificationsStore, refreshNotifications } from "../lib/notifications";
import { Header } from "../shell/Header";
import { useStore } from "../ui/hooks";
import { BellIcon } from "../ui/icons";
import { EmptyCard, LoadMore } from "../ui/UserRow";
import { NotificationItem } from "./NotificationItem";

/** `/notifications`: newest first; opening the page marks them read. */
export function NotificationsPage({ me }: { me: Me }) {
  const state = useStore(notificationsStore);
  // What was unread when the page opened keeps its highlight while the page stays open.
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  useEffect(() => {
    void refreshNotifications();
  }, []);

  // Opening the page reads what it shows; arrivals while it is open are read at once too.
  useEffect(() => {
    if (state.status !== "ready") return;
    const unread = state.items.filter((n) => !n.read).map((n) => n.id);
    if (!unread.length) return;
    setFresh((f) => new Set([...f, ...unread]));
    void markRead(unread);
  }, [state.items, state.status]);

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <div class="section-head">
          <h1 class="page-title">Notifications</h1>
          {state.unread > 0 && (
            <button type="button" class="pill-link pill-link--small" onClick={() => void markRead()} data-testid="notifications-read-all">
              Mark all read
            </button>
          )}
        </div>
        {state.status === "loading" && state.items.length === 0 && <div class="card skeleton">Loading…</div>}
        {state.error && (
          <p class="notice notice--error" role="alert">
            {state.error}
          </p>
        )}
        {state.status === "ready" && state.items.length === 0 && (
          <EmptyCard title="Nothing yet" testid="notifications-empty">
            <span class="empty__icon">
              <BellIcon size={28} />
            </span>
            <p class="muted">When someone follows you, pings you into a room or invites you to a club, it shows up here.</p>
          </EmptyCard>
        )}
        {state.items.length > 0 && (
          <ul class="card notif-list" data-testid="notification-list">
            {state.items.map((n) => (
              <NotificationItem key={n.id} n={n} fresh={fresh.has(n.id)} />
            ))}
          </ul>
        )}
        {state.nextCursor && <LoadMore onClick={() => void loadMoreNotifications()} busy={state.loadingMore} />}
      </main>
    </div>
  );
}
