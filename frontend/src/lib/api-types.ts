/**
 * Every shape of the HTTP API (docs/API.md, docs/API-SOCIAL.md, docs/API-ADMIN.md): the
 * one place the client imports REST types from, so that types generated from the
 * server's schemas can take this file's place. The WebSocket's shapes are in
 * `protocol.ts`.
 */

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

/** One line of a moderation log (a room's, or the instance's); fields checked where used. */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: User | null;
  target: User | null;
  room: { id: string; title: string } | null;
  detail: Record<string, unknown>;
}

export interface UserPage {
  users: User[];
  next_cursor: string | null;
}

export interface NotificationPage {
  notifications: Notification[];
  unread: number;
  next_cursor: string | null;
}

export interface NewEvent {
  title: string;
  description?: string;
  starts_at: string;
  time_zone: string;
  cohosts?: string[];
  club_id?: string;
}

// -- reports and administration (docs/API-ADMIN.md) ------------------------------------

export type ReportReason = "harassment" | "hate" | "spam" | "impersonation" | "self_harm" | "other";

export interface AdminMember extends User {
  is_admin: boolean;
  suspended_at: string | null;
  joined_at: string;
  invited_by: User | null;
}

export interface TreeNode {
  member: User & { is_admin: boolean; suspended: boolean };
  unused_invites: number;
  children: TreeNode[];
}

export type InviteStatus = "all" | "unused" | "used" | "expired" | "revoked";

export interface AdminInvite {
  id: string;
  status: Exclude<InviteStatus, "all">;
  created_at: string;
  expires_at: string;
  created_by: User | null;
  used_by: User | null;
  used_at: string | null;
  revoked_at: string | null;
}

export interface Report {
  id: string;
  status: "open" | "resolved";
  reason: ReportReason;
  details: string;
  reporter: User | null;
  user: User | null;
  room: { id: string; title: string; live: boolean } | null;
  context: {
    at?: string;
    room?: { id: string; title: string | null } | null;
    reporter_role?: string | null;
    target_role?: string | null;
  };
  created_at: string;
  resolved_at: string | null;
  resolved_by: User | null;
  resolution: string | null;
}

/** A page of a list the admin routes return: the items under `K`, and the next cursor. */
export type Paged<K extends string, T> = { [key in K]: T[] } & { next_cursor: string | null };
