import type {
  InviteCreated,
  InviteInfo,
  InviteInspect,
  Me,
  Profile,
  RoomSummary,
  Visibility,
} from "./types";

/** Every failed API call becomes an ApiError carrying the server's machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let onUnauthenticated: (() => void) | null = null;

/** Called when a signed-in request comes back 401 (the session expired or was revoked). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  };
  if (body !== undefined) {
    init.headers = { ...init.headers, "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, "network_error", "Can't reach Teahouse. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  let data: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof err?.code === "string" ? err.code : `http_${response.status}`;
    const message =
      typeof err?.message === "string" && err.message
        ? err.message
        : `Something went wrong (HTTP ${response.status}).`;
    if (response.status === 401 && code === "not_authenticated" && onUnauthenticated) onUnauthenticated();
    throw new ApiError(response.status, code, message);
  }
  return data as T;
}

export const api = {
  inspectInvite: (code: string) => request<InviteInspect>("POST", "/invites/inspect", { code }),
  signup: (body: { code: string; username: string; password: string; display_name?: string }) =>
    request<Me>("POST", "/signup", body),
  login: (username: string, password: string) => request<Me>("POST", "/login", { username, password }),
  logout: () => request<void>("POST", "/logout"),
  me: () => request<Me>("GET", "/me"),
  user: (username: string) => request<Profile>("GET", `/users/${encodeURIComponent(username)}`),
  createInvite: () => request<InviteCreated>("POST", "/invites"),
  invites: () => request<{ invites: InviteInfo[]; invites_left: number }>("GET", "/invites"),
  rooms: () => request<{ rooms: RoomSummary[] }>("GET", "/rooms"),
  createRoom: (title: string, visibility: Visibility) =>
    request<RoomSummary>("POST", "/rooms", { title, visibility }),
  room: (id: string) => request<RoomSummary>("GET", `/rooms/${encodeURIComponent(id)}`),
  admit: (roomId: string, username: string) =>
    request<void>("POST", `/rooms/${encodeURIComponent(roomId)}/admit`, { username }),
};
