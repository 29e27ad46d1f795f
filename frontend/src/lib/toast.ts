import { Store } from "./store";

export interface Toast {
  id: number;
  message: string;
  kind: "error" | "info";
}

export const toastStore = new Store<Toast[]>([]);
let nextId = 1;

export function toast(message: string, kind: Toast["kind"] = "error", ms = 4500): void {
  const id = nextId++;
  toastStore.update((list) => [...list.filter((t) => t.message !== message), { id, message, kind }].slice(-3));
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  toastStore.update((list) => list.filter((t) => t.id !== id));
}
