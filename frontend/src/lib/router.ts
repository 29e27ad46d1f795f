import { Store } from "./store";

// A tiny history router: six routes with one parameter each do not need a library.

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

/** Match "/room/:id" against a path; returns the decoded parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(":")) {
      try {
        params[part.slice(1)] = decodeURIComponent(seg);
      } catch {
        return null;
      }
    } else if (part !== seg) {
      return null;
    }
  }
  return params;
}

/** Click handler for <a href> elements: same-origin plain left clicks navigate in-app. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.currentTarget as HTMLElement).closest("a");
  if (!anchor || anchor.target === "_blank") return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
