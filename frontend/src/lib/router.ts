import { Store } from "./store";

// A tiny history router (frontend/README.md, "Routing"): the address bar as a Store, and
// in-app navigation. Fifteen flat routes with at most two parameters each, and an invite
// code in the fragment that must be left alone, do not need a library. The table of
// routes is `routes.ts`.

export interface Location {
  path: string;
  search: string;
  hash: string;
}

function current(): Location {
  return { path: window.location.pathname, search: window.location.search, hash: window.location.hash };
}

export const locationStore = new Store<Location>(current());

window.addEventListener("popstate", () => locationStore.set(current()));
window.addEventListener("hashchange", () => locationStore.set(current()));

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const here = window.location.pathname + window.location.search + window.location.hash;
  if (to !== here) {
    if (options.replace) window.history.replaceState(null, "", to);
    else window.history.pushState(null, "", to);
  }
  locationStore.set(current());
  if (!options.replace) window.scrollTo(0, 0);
}

/** Click handler for <a href> elements: same-origin plain left clicks navigate in-app. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.currentTarget;
  const anchor = target instanceof Element ? target.closest("a") : null;
  if (!anchor || anchor.target === "_blank") return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
