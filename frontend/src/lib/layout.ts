/**
 * Which layout the client draws: the phone's one column, or the desktop's hallway
 * column beside the open room with a side panel. Most of the difference is CSS (the
 * same breakpoint in styles.css); this is the one place that says which, for the few
 * components whose tree differs (the hallway column is only on a desktop, the hand
 * queue moves into the side panel, the audience is a grid that loads by itself).
 */
import { Store } from "./store";

/** Keep in step with the `@media (min-width: 1024px)` block of styles.css. */
export const DESKTOP_QUERY = "(min-width: 1024px)";

export type Layout = "phone" | "desktop";

/** What `window.matchMedia` gives, as far as this needs it. */
export interface MediaQueryWatch {
  matches: boolean;
  addEventListener(type: "change", listener: (e: { matches: boolean }) => void): void;
}

/** A store of the layout that follows the query as the window is resized or turned. */
export function layoutStore(watch: MediaQueryWatch | null): Store<Layout> {
  const store = new Store<Layout>(watch?.matches ? "desktop" : "phone");
  watch?.addEventListener("change", (e) => store.set(e.matches ? "desktop" : "phone"));
  return store;
}

/** The page's layout (a phone's where there is no `matchMedia`, e.g. in tests without a DOM). */
export const pageLayout = layoutStore(
  typeof window !== "undefined" && typeof window.matchMedia === "function" ? window.matchMedia(DESKTOP_QUERY) : null,
);
