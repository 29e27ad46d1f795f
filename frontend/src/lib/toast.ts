import { Store } from "./store";
import type { Notification } from "./api-types";

export interface Toast {
  id: number;
  message: string;
  kind: "error" | "info" | "notification";
  /** For kind "notification": what arrived (the toast offers its action, e.g. "Join"). */
  notification?: Notification;
}

export const toastStore = new Store<Toast[]>([]);
let nextId = 1;

export function toast(message: string, kind: "error" | "info" = "error", ms = 4500): void {
  const id = nextId++;
  toastStore.update((list) => [...list.filter((t) => t.message !== message), { id, message, kind }].slice(-3));
  setTimeout(() => dismissToast(id), ms);
}

/** A live notification; pings stay longer, since they ask the member to act now. */
export function notificationToast(notification: Notification): void {
  const id = nextId++;
  const ms = notification.kind === "ping" || notification.kind === "event_starting" ? 15_000 : 7000;
  toastStore.update((list) =>
    [...list.filter((t) => t.notification?.id !== notification.id), { id, message: notification.text, kind: "notification" as const, notification }].slice(-3),
  );
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  toastStore.update((list) => list.filter((t) => t.id !== id));
}
