/**
 * Every screen of the client and the address it lives at (the table in
 * frontend/README.md, "Routing"). `resolveRoute` is the only place a path becomes a
 * screen; App.tsx renders what it returns.
 */
export type Route =
  // Public screens.
  | { name: "invite" }
  | { name: "reset" }
  | { name: "login"; next: string }
  // Signed-in screens.
  | { name: "hallway" }
  | { name: "invites" }
  | { name: "notifications" }
  | { name: "search"; q: string }
  | { name: "settings" }
  | { name: "admin"; tab: string | null }
  | { name: "clubs"; create: boolean }
  | { name: "new-event"; clubId: string | null }
  | { name: "room"; roomId: string }
  | { name: "profile"; username: string }
  | { name: "follow-list"; username: string; which: "followers" | "following" }
  | { name: "club"; clubId: string }
  | { name: "event"; eventId: string }
  | { name: "not-found" };

/** Screens a visitor may see without signing in. */
export function isPublic(route: Route): boolean {
  return route.name === "invite" || route.name === "reset" || route.name === "login";
}

/** "/u/ada/" and "/u/ada" are the same screen; "/" stays "/". */
export function normalPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
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

export function resolveRoute(rawPath: string, search: string): Route {
  const path = normalPath(rawPath);
  const query = new URLSearchParams(search);
  switch (path) {
    case "/invite":
      return { name: "invite" };
    case "/reset":
      return { name: "reset" };
    case "/login":
      return { name: "login", next: query.get("next") ?? "/" };
    case "/":
      return { name: "hallway" };
    case "/invites":
      return { name: "invites" };
    case "/notifications":
      return { name: "notifications" };
    case "/search":
      return { name: "search", q: query.get("q") ?? "" };
    case "/settings":
      return { name: "settings" };
    case "/admin":
      return { name: "admin", tab: query.get("tab") };
    case "/clubs":
      return { name: "clubs", create: query.get("new") === "1" };
    case "/events/new":
      return { name: "new-event", clubId: query.get("club") };
  }
  let params = match("/room/:id", path);
  if (params) return { name: "room", roomId: params.id! };
  params = match("/u/:username", path);
  if (params) return { name: "profile", username: params.username! };
  params = match("/u/:username/:list", path);
  if (params && (params.list === "followers" || params.list === "following"))
    return { name: "follow-list", username: params.username!, which: params.list };
  params = match("/c/:id", path);
  if (params) return { name: "club", clubId: params.id! };
  params = match("/event/:id", path);
  if (params) return { name: "event", eventId: params.id! };
  return { name: "not-found" };
}

/**
 * Where a signed-out visit to a signed-in screen goes: log in, then back here. The
 * fragment too for a room, since a room link (`/room/<id>#link=<code>`) must survive
 * logging in; other fragments are left behind.
 */
export function loginRedirect(path: string, search: string, hash: string): string {
  const here = path + search + (normalPath(path).startsWith("/room/") ? hash : "");
  return here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}`;
}

/** Only same-site paths: never redirect to another origin (or back to log-in) after logging in. */
export function safeNext(next: string): string {
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}

const seg = encodeURIComponent;

export const profileHref = (username: string): string => `/u/${seg(username)}`;
export const clubHref = (clubId: string): string => `/c/${seg(clubId)}`;
export const eventHref = (eventId: string): string => `/event/${seg(eventId)}`;
export const roomHref = (roomId: string): string => `/room/${seg(roomId)}`;
