import type {
  AuditPage,
  AvatarUrl,
  BlockList,
  CalendarLink,
  Club,
  ClubList,
  ClubMemberList,
  EditClubBody,
  Event,
  EventPatch,
  Hallway,
  IceServers,
  InviteCreated,
  JoinRequestList,
  InviteInspect,
  Me,
  ResetDone,
  ResetLinkInfo,
  MyInvites,
  NewClubBody,
  NewEvent,
  NotificationPage,
  Passkey,
  PasskeyAuthenticationCredential,
  PasskeyCreation,
  PasskeyList,
  PasskeyRegistrationCredential,
  PasskeyRequest,
  Profile,
  ProfileBody,
  RoomLink,
  RoomList,
  RoomSummary,
  SearchResults,
  SignupBody,
  StartedEvent,
  UserPage,
  Visibility,
} from "./api-types";
import { CLIENT_MESSAGES, errorMessage } from "./error-messages";

/** Every failed API call becomes an ApiError: the server's machine-readable code and the client's own sentence for it. */
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

/** A request body sent as is (an image upload) instead of as JSON. */
export class RawBody {
  constructor(
    readonly data: Blob,
    readonly contentType: string,
  ) {}
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  };
  if (body instanceof RawBody) {
    init.headers = { ...init.headers, "Content-Type": body.contentType };
    init.body = body.data;
  } else if (body !== undefined) {
    init.headers = { ...init.headers, "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, "network_error", CLIENT_MESSAGES.network_error);
  }
}

async function failure(response: Response): Promise<ApiError> {
  let data: unknown = null;
  try {
    data = JSON.parse(await response.text());
  } catch {
    data = null;
  }
  const err = (data as { error?: { code?: unknown } } | null)?.error;
  const code = typeof err?.code === "string" ? err.code : `http_${response.status}`;
  if (response.status === 401 && code === "not_authenticated" && onUnauthenticated) onUnauthenticated();
  // The server's `message` is for developers: people read the client's own sentence.
  return new ApiError(response.status, code, errorMessage(code));
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, "bad_response", CLIENT_MESSAGES.bad_response);
  }
}

/** A file download (the data export): the body as a Blob and the server's file name, if any. */
async function download(path: string): Promise<{ blob: Blob; filename: string | null }> {
  const response = await send("GET", path);
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  let filename: string | null = null;
  if (named?.[1]) {
    try {
      filename = decodeURIComponent(named[1]);
    } catch {
      filename = named[1];
    }
  }
  return { blob: await response.blob(), filename };
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") q.set(key, String(value));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const seg = encodeURIComponent;

export const api = {
  inspectInvite: (code: string) => request<InviteInspect>("POST", "/invites/inspect", { code }),
  signup: (body: SignupBody) =>
    request<Me>("POST", "/signup", body),
  login: (username: string, password: string) => request<Me>("POST", "/login", { username, password }),
  logout: () => request<void>("POST", "/logout"),
  me: () => request<Me>("GET", "/me"),
  /** Logging in with a passkey: options for the browser, then its answer (lib/passkeys.ts). */
  passkeyLoginOptions: () => request<PasskeyRequest>("POST", "/login/passkey/options"),
  passkeyLogin: (ceremony: string, credential: PasskeyAuthenticationCredential) =>
    request<Me>("POST", "/login/passkey", { ceremony, credential }),
  createInvite: () => request<InviteCreated>("POST", "/invites"),
  changePassword: (oldPassword: string, newPassword: string) =>
    request<void>("POST", "/me/password", { old_password: oldPassword, new_password: newPassword }),
  inspectReset: (token: string) => request<ResetLinkInfo>("POST", "/password-reset/inspect", { token }),
  useReset: (token: string, password: string) => request<ResetDone>("POST", "/password-reset", { token, password }),
  invites: () => request<MyInvites>("GET", "/invites"),

  // Rooms
  rooms: () => request<RoomList>("GET", "/rooms"),
  createRoom: (title: string, visibility: Visibility, clubId?: string, description = "") =>
    request<RoomSummary>(
      "POST",
      "/rooms",
      clubId ? { title, description, visibility, club_id: clubId } : { title, description, visibility },
    ),
  /** A moderator changes what the live room says it is about; everyone in it sees it at once. */
  setRoomDescription: (roomId: string, description: string) =>
    request<RoomSummary>("PATCH", `/rooms/${seg(roomId)}`, { description }),
  room: (id: string) => request<RoomSummary>("GET", `/rooms/${seg(id)}`),
  admit: (roomId: string, username: string) => request<void>("POST", `/rooms/${seg(roomId)}/admit`, { username }),
  /** A link that lets its holder into a (closed) room while it lives: `<public>/room/<id>#link=<code>`. */
  roomLink: (roomId: string) => request<RoomLink>("POST", `/rooms/${seg(roomId)}/link`),
  /** Present a room link's code; then `join` over the socket. */
  enterRoom: (roomId: string, code: string) => request<void>("POST", `/rooms/${seg(roomId)}/enter`, { code }),
  /** The room's moderation log, newest first (moderators of the room, admins). Checked where used. */
  roomAudit: (roomId: string, cursor?: string | null) =>
    request<AuditPage>("GET", `/rooms/${seg(roomId)}/audit${query({ cursor })}`),
  ping: (roomId: string, username: string) => request<void>("POST", `/rooms/${seg(roomId)}/ping`, { username }),

  // Profiles, avatars, follows, blocks
  user: (username: string) => request<Profile>("GET", `/users/${seg(username)}`),
  updateProfile: (body: ProfileBody) => request<Profile>("PATCH", "/me/profile", body),
  uploadAvatar: (file: Blob, contentType: string) =>
    request<AvatarUrl>("PUT", "/me/avatar", new RawBody(file, contentType)),
  removeAvatar: () => request<void>("DELETE", "/me/avatar"),
  follow: (username: string) => request<void>("POST", `/users/${seg(username)}/follow`),
  unfollow: (username: string) => request<void>("DELETE", `/users/${seg(username)}/follow`),
  followers: (username: string, cursor?: string | null, limit?: number) =>
    request<UserPage>("GET", `/users/${seg(username)}/followers${query({ cursor, limit })}`),
  following: (username: string, cursor?: string | null, limit?: number) =>
    request<UserPage>("GET", `/users/${seg(username)}/following${query({ cursor, limit })}`),
  block: (username: string) => request<void>("POST", `/users/${seg(username)}/block`),
  unblock: (username: string) => request<void>("DELETE", `/users/${seg(username)}/block`),
  blocks: () => request<BlockList>("GET", "/me/blocks"),

  // Clubs
  createClub: (body: NewClubBody) => request<Club>("POST", "/clubs", body),
  club: (id: string) => request<Club>("GET", `/clubs/${seg(id)}`),
  updateClub: (id: string, body: EditClubBody) =>
    request<Club>("PATCH", `/clubs/${seg(id)}`, body),
  clubMembers: (id: string, cursor?: string | null) =>
    request<ClubMemberList>("GET", `/clubs/${seg(id)}/members${query({ cursor })}`),
  followClub: (id: string) => request<void>("POST", `/clubs/${seg(id)}/follow`),
  unfollowClub: (id: string) => request<void>("DELETE", `/clubs/${seg(id)}/follow`),
  inviteToClub: (id: string, username: string) => request<void>("POST", `/clubs/${seg(id)}/invites`, { username }),
  joinClub: (id: string) => request<void>("POST", `/clubs/${seg(id)}/join`),
  declineClub: (id: string) => request<void>("DELETE", `/clubs/${seg(id)}/invites/me`),
  askToJoinClub: (id: string) => request<void>("POST", `/clubs/${seg(id)}/requests`),
  withdrawClubRequest: (id: string) => request<void>("DELETE", `/clubs/${seg(id)}/requests/me`),
  clubRequests: (id: string) => request<JoinRequestList>("GET", `/clubs/${seg(id)}/requests`),
  answerClubRequest: (id: string, requestId: string, accept: boolean) =>
    request<void>("POST", `/clubs/${seg(id)}/requests/${seg(requestId)}/${accept ? "accept" : "decline"}`),
  makeClubAdmin: (id: string, username: string) => request<void>("POST", `/clubs/${seg(id)}/admins`, { username }),
  removeClubMember: (id: string, username: string) =>
    request<void>("DELETE", `/clubs/${seg(id)}/members/${seg(username)}`),
  myClubs: () => request<ClubList>("GET", "/me/clubs"),

  // Events
  createEvent: (body: NewEvent) => request<Event>("POST", "/events", body),
  event: (id: string) => request<Event>("GET", `/events/${seg(id)}`),
  updateEvent: (id: string, body: EventPatch) => request<Event>("PATCH", `/events/${seg(id)}`, body),
  cancelEvent: (id: string) => request<void>("DELETE", `/events/${seg(id)}`),
  notifyMe: (id: string, on: boolean) => request<void>(on ? "POST" : "DELETE", `/events/${seg(id)}/notify`),
  startEvent: (id: string) => request<StartedEvent>("POST", `/events/${seg(id)}/start`),
  calendar: () => request<CalendarLink>("GET", "/me/calendar"),
  rotateCalendar: () => request<CalendarLink>("POST", "/me/calendar/rotate"),

  // The TURN servers (and a credential) for the room's audio connections
  iceServers: () => request<IceServers>("GET", "/ice-servers"),

  // Hallway, notifications, search
  hallway: (cursor?: string) =>
    request<Hallway>(
      "GET",
      cursor ? `/hallway?cursor=${encodeURIComponent(cursor)}` : "/hallway",
    ),
  notifications: (cursor?: string | null) => request<NotificationPage>("GET", `/notifications${query({ cursor })}`),
  markRead: (ids?: string[]) => request<void>("POST", "/notifications/read", ids ? { ids } : {}),
  search: (q: string) => request<SearchResults>("GET", `/search${query({ q })}`),

  // Your passkeys: adding one takes the password, then the browser's answer.
  passkeys: () => request<PasskeyList>("GET", "/me/passkeys"),
  passkeyOptions: (password: string) => request<PasskeyCreation>("POST", "/me/passkeys/options", { password }),
  addPasskey: (ceremony: string, name: string, credential: PasskeyRegistrationCredential) =>
    request<Passkey>("POST", "/me/passkeys", { ceremony, name, credential }),
  removePasskey: (id: string) => request<void>("DELETE", `/me/passkeys/${seg(id)}`),

  // Your own data
  exportData: () => download("/me/export"),
  deleteAccount: (password: string) => request<void>("DELETE", "/me", { password }),
};
