import { api } from "./api";
import { errorText } from "./problem";
import { locationStore } from "./router";
import { appSocket } from "./socket";
import { Store } from "./store";
import { notificationToast } from "./toast";
import type { Notification } from "./api-types";

/** The member's notifications: the one place the list and the unread count live. */
export interface NotificationsState {
  items: Notification[];
  unread: number;
  nextCursor: string | null;
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
  loadingMore: boolean;
  /** Club invitations answered from a notification: notification id -> "accepted" | "declined". */
  answered: Record<string, "accepted" | "declined">;
}

const initial: NotificationsState = {
  items: [],
  unread: 0,
  nextCursor: null,
  status: "idle",
  error: null,
  loadingMore: false,
  answered: {},
};

export const notificationsStore = new Store<NotificationsState>(initial);

// Bumped on every reset and refresh: answers to older requests are dropped.
let generation = 0;

function patch(part: Partial<NotificationsState>): void {
  notificationsStore.update((s) => ({ ...s, ...part }));
}

const STATES = new Set<string>(["live", "ended", "open", "accepted", "closed", "declined", "withdrawn"]);

/** The room a ping or a starting event is about has ended since (the server says so). */
export function roomEnded(n: Notification): boolean {
  return (n.kind === "ping" || n.kind === "event_starting") && n.state === "ended";
}

/** Keep only well-formed notifications; fill in what a payload left out. */
export function asNotification(raw: unknown): Notification | null {
  if (!raw || typeof raw !== "object") return null;
  const n = raw as Partial<Notification>;
  if (typeof n.id !== "string" || typeof n.kind !== "string") return null;
  const obj = <T,>(v: unknown): T | null => (v && typeof v === "object" ? (v as T) : null);
  return {
    id: n.id,
    kind: n.kind,
    created_at: typeof n.created_at === "string" ? n.created_at : new Date().toISOString(),
    read: n.read === true,
    actor: obj(n.actor),
    room: obj(n.room),
    event: obj(n.event),
    club: obj(n.club),
    report: obj(n.report),
    join_request_id: typeof n.join_request_id === "string" ? n.join_request_id : null,
    state: typeof n.state === "string" && STATES.has(n.state) ? n.state : null,
    text: typeof n.text === "string" ? n.text : "",
  };
}

function cleanList(list: unknown): Notification[] {
  return Array.isArray(list) ? list.map(asNotification).filter((n): n is Notification => n !== null) : [];
}

function message(err: unknown, fallback: string): string {
  return errorText(err, fallback);
}

/** Load the first page (and the unread count) afresh. */
export async function refreshNotifications(): Promise<void> {
  const gen = ++generation;
  if (notificationsStore.get().status !== "ready") patch({ status: "loading", error: null });
  try {
    const page = await api.notifications();
    if (gen !== generation) return;
    patch({
      items: cleanList(page?.notifications),
      unread: typeof page?.unread === "number" ? page.unread : 0,
      nextCursor: typeof page?.next_cursor === "string" ? page.next_cursor : null,
      status: "ready",
      error: null,
    });
  } catch (err) {
    if (gen !== generation) return;
    patch({ status: notificationsStore.get().status === "ready" ? "ready" : "error", error: message(err, "Couldn't load your notifications.") });
  }
}

export async function loadMoreNotifications(): Promise<void> {
  const s = notificationsStore.get();
  if (!s.nextCursor || s.loadingMore) return;
  const gen = generation;
  patch({ loadingMore: true, error: null });
  try {
    const page = await api.notifications(s.nextCursor);
    if (gen !== generation) return;
    const known = new Set(notificationsStore.get().items.map((n) => n.id));
    const more = cleanList(page?.notifications).filter((n) => !known.has(n.id));
    notificationsStore.update((now) => ({
      ...now,
      items: [...now.items, ...more],
      nextCursor: typeof page?.next_cursor === "string" ? page.next_cursor : null,
      loadingMore: false,
    }));
  } catch (err) {
    if (gen !== generation) return;
    patch({ loadingMore: false, error: message(err, "Couldn't load more notifications.") });
  }
}

/** Mark some (or, without ids, all) notifications read: at once here, then on the server. */
export async function markRead(ids?: string[]): Promise<void> {
  const s = notificationsStore.get();
  const targets = ids ? new Set(ids) : null;
  const newlyRead = s.items.filter((n) => !n.read && (!targets || targets.has(n.id))).length;
  if (targets && newlyRead === 0) return;
  if (!targets && s.unread === 0 && newlyRead === 0) return;
  notificationsStore.set({
    ...s,
    items: s.items.map((n) => (!n.read && (!targets || targets.has(n.id)) ? { ...n, read: true } : n)),
    unread: targets ? Math.max(0, s.unread - newlyRead) : 0,
  });
  try {
    await api.markRead(ids);
  } catch {
    void refreshNotifications(); // put the true state back
  }
}

/** Accept or decline the club invitation a notification brought; throws the API error. */
export async function answerClubInvite(n: Notification, accept: boolean): Promise<void> {
  if (!n.club) return;
  if (accept) await api.joinClub(n.club.id);
  else await api.declineClub(n.club.id);
  const state = accept ? "accepted" : "closed";
  notificationsStore.update((s) => ({
    ...s,
    items: s.items.map((item) => (item.id === n.id ? { ...item, state } : item)),
    answered: { ...s.answered, [n.id]: accept ? "accepted" : "declined" },
  }));
  void markRead([n.id]);
  // What the server says became of it (another tab or device may have answered first).
  void refreshNotifications();
}

/** An admin accepts or declines, from its notification, a request to join; throws the API error. */
export async function answerClubRequest(n: Notification, accept: boolean): Promise<void> {
  if (!n.club || !n.join_request_id) return;
  try {
    await api.answerClubRequest(n.club.id, n.join_request_id, accept);
    const state = accept ? "accepted" : "declined";
    notificationsStore.update((s) => ({
      ...s,
      items: s.items.map((item) => (item.id === n.id ? { ...item, state } : item)),
    }));
    void markRead([n.id]);
  } finally {
    // What the server says became of it (another admin may have answered first).
    void refreshNotifications();
  }
}

/** Where a notification leads: the room for a ping, the profile for a follower, … */
export function notificationHref(n: Notification): string | null {
  const seg = encodeURIComponent;
  switch (n.kind) {
    case "ping":
      return n.room?.id && !roomEnded(n) ? `/room/${seg(n.room.id)}` : null;
    case "event_starting":
      return n.room?.id && !roomEnded(n) ? `/room/${seg(n.room.id)}` : n.event?.id ? `/event/${seg(n.event.id)}` : null;
    case "club_invite":
    case "club_request":
    case "club_request_accepted":
    case "club_request_declined":
      return n.club?.id ? `/c/${seg(n.club.id)}` : null;
    case "new_follower":
      return n.actor?.username ? `/u/${seg(n.actor.username)}` : null;
    case "report_filed":
      return "/admin?tab=reports";
    default:
      return n.room?.id
        ? `/room/${seg(n.room.id)}`
        : n.event?.id
          ? `/event/${seg(n.event.id)}`
          : n.club?.id
            ? `/c/${seg(n.club.id)}`
            : n.actor?.username
              ? `/u/${seg(n.actor.username)}`
              : null;
  }
}

/** A notification pushed on the socket: add it, count it, and tell the member. */
export function receiveNotification(raw: unknown): void {
  const n = asNotification(raw);
  if (!n) return;
  const s = notificationsStore.get();
  if (s.items.some((x) => x.id === n.id)) return;
  notificationsStore.set({ ...s, items: [n, ...s.items], unread: s.unread + (n.read ? 0 : 1) });
  // The notifications page shows it in place; elsewhere a toast does.
  if (locationStore.get().path.replace(/\/+$/, "") !== "/notifications") notificationToast(n);
}

export function resetNotifications(): void {
  generation++;
  notificationsStore.set(initial);
}

appSocket.onMessage((msg) => {
  if (msg.type === "notification") receiveNotification(msg.notification);
});
// Anything pushed while the socket was down is fetched on reconnection.
appSocket.onReady((resumed) => {
  if (resumed) void refreshNotifications();
});
