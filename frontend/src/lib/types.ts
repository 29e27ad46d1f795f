// Shapes from docs/API.md, docs/API-SOCIAL.md and docs/PROTOCOL.md (the contract with the backend).

/**
 * A member as the server shows them. `avatar_url` is the social layer's `UserCard`
 * addition; older payloads (and room protocol users) may leave it out.
 */
export interface User {
  id: string;
  username: string;
  display_name: string;
  avatar_url?: string | null;
}

export interface Me extends User {
  invites_left: number;
  is_admin: boolean;
}

export interface ClubRef {
  id: string;
  name: string;
}

export interface Profile extends User {
  bio: string;
  nominated_by: User | null;
  joined_at: string;
  followers_count: number;
  following_count: number;
  clubs: ClubRef[];
  followed_by_me: boolean;
  follows_me: boolean;
  blocked_by_me: boolean;
  is_me: boolean;
}

/**
 * Who may see and enter a room (docs/PROTOCOL.md "Room types"): every member; the
 * members its moderators follow; only the people let in; the club's members.
 */
export type Visibility = "open" | "social" | "closed" | "club";

export interface RoomSummary {
  id: string;
  title: string;
  visibility: Visibility;
  created_by: User;
  created_at: string;
  speakers: User[];
  listener_count: number;
  participant_count: number;
  club?: ClubRef | null;
  /** A demo room (`teahouse demo seed`): seeded members sit in it, there is no audio. */
  demo?: boolean;
}

export type ClubRole = "admin" | "member";

export interface Club extends ClubRef {
  description: string;
  rules: string;
  founder: User | null;
  member_count: number;
  follower_count: number;
  my_role: ClubRole | null;
  following: boolean;
  invited: boolean;
  created_at: string;
}

export interface ClubMember {
  user: User;
  role: ClubRole;
}

export interface Event {
  id: string;
  title: string;
  description: string;
  starts_at: string;
  time_zone: string;
  host: User;
  cohosts: User[];
  club: ClubRef | null;
  room_id: string | null;
  cancelled: boolean;
  interested_count: number;
  notify_me: boolean;
  can_start: boolean;
  url: string;
}

export type NotificationKind = "new_follower" | "ping" | "event_starting" | "club_invite";

export interface Notification {
  id: string;
  /** One of NotificationKind; anything else is shown as plain text. */
  kind: string;
  created_at: string;
  read: boolean;
  actor: User | null;
  room: { id: string; title: string } | null;
  event: { id: string; title: string; starts_at: string } | null;
  club: ClubRef | null;
  text: string;
}

export interface Reason {
  kind: string;
  text: string;
  users: User[];
}

export interface HallwayRoom extends RoomSummary {
  reason?: Reason | null;
}

export interface HallwayEvent extends Event {
  reason?: Reason | null;
}

export interface SearchResults {
  members: User[];
  clubs: ClubRef[];
  rooms: RoomSummary[];
}

export interface InviteCreated {
  code: string;
  url: string;
  expires_at: string;
}

export interface InviteInfo {
  id: string;
  created_at: string;
  expires_at: string;
  used: boolean;
  used_by: User | null;
}

export interface InviteInspect {
  nominated_by: User | null;
  expires_at: string;
}

export type Role = "moderator" | "speaker" | "listener";

export interface Participant {
  user: User;
  role: Role;
  hand_raised: boolean;
  invited: boolean;
  muted: boolean;
  speaking: boolean;
  publishing: boolean;
  /** Not in the protocol (yet); used for the "X invited you" prompt when present. */
  invited_by?: User | null;
}

export interface RoomHeader {
  id: string;
  title: string;
  visibility: Visibility;
  created_by: User;
  ended: boolean;
  demo?: boolean;
}

/** The moderators' switches for a room (protocol 2). */
export interface RoomSettings {
  hands: boolean;
}

export type Change =
  | { op: "upsert"; participant: Participant }
  | { op: "remove"; user_id: string }
  | { op: "listeners"; count: number }
  | { op: "settings"; settings: RoomSettings };

/** One line of a room's moderation log (GET /api/rooms/{id}/audit); fields checked where used. */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: User | null;
  target: User | null;
  room: { id: string; title: string } | null;
  detail: Record<string, unknown>;
}

// Server -> client messages. Unknown types are ignored by the client.
export type ServerMessage =
  | { type: "welcome"; protocol: number; user: User }
  | {
      type: "snapshot";
      version: number;
      room: RoomHeader;
      participants: Participant[];
      listeners?: number;
      settings?: RoomSettings;
      you: unknown;
    }
  | { type: "delta"; version: number; changes: Change[] }
  | { type: "audience_page"; listeners: User[]; next: string | null; count?: number; ref?: string }
  | { type: "room_ended"; room: unknown; reason?: string }
  | { type: "removed"; room: unknown }
  | { type: "ok"; ref: string }
  | { type: "error"; code: string; message: string; ref?: string }
  | { type: "publish_answer"; sdp: string }
  | { type: "subscribe_offer"; sdp: string }
  | { type: "media_status"; state: "down" | "restarted" }
  | { type: "pong" }
  | { type: "notification"; notification: Notification }
  | { type: "hallway_changed" };

// Client -> server messages.
export type ClientMessage = { id?: string } & (
  | { type: "join"; room: string; since?: number }
  | { type: "leave" }
  | { type: "hand"; raised: boolean }
  | { type: "invite_to_speak"; user_id: string }
  | { type: "accept_speak" }
  | { type: "decline_speak" }
  | { type: "move_to_audience"; user_id: string }
  | { type: "mute"; muted: boolean; user_id?: string }
  | { type: "make_moderator"; user_id: string }
  | { type: "remove_moderator"; user_id: string }
  | { type: "remove_from_room"; user_id: string }
  | { type: "end_room" }
  | { type: "set_hands"; enabled: boolean }
  | { type: "audience"; after?: string; limit?: number }
  | { type: "publish"; sdp: string }
  | { type: "unpublish" }
  | { type: "subscribe_answer"; sdp: string }
  | { type: "ping" }
);
