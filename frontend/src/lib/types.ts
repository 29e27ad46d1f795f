// Shapes from docs/API.md and docs/PROTOCOL.md (the contract with the backend).

export interface User {
  id: string;
  username: string;
  display_name: string;
}

export interface Me extends User {
  invites_left: number;
  is_admin: boolean;
}

export interface Profile extends User {
  bio: string;
  nominated_by: User | null;
  joined_at: string;
}

export type Visibility = "open" | "closed";

export interface RoomSummary {
  id: string;
  title: string;
  visibility: Visibility;
  created_by: User;
  created_at: string;
  speakers: User[];
  listener_count: number;
  participant_count: number;
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
}

export type Change =
  | { op: "upsert"; participant: Participant }
  | { op: "remove"; user_id: string };

// Server -> client messages. Unknown types are ignored by the client.
export type ServerMessage =
  | { type: "welcome"; protocol: number; user: User }
  | { type: "snapshot"; version: number; room: RoomHeader; participants: Participant[]; you: unknown }
  | { type: "delta"; version: number; changes: Change[] }
  | { type: "room_ended"; room: unknown; reason?: string }
  | { type: "ok"; ref: string }
  | { type: "error"; code: string; message: string; ref?: string }
  | { type: "publish_answer"; sdp: string }
  | { type: "subscribe_offer"; sdp: string }
  | { type: "media_status"; state: "down" | "restarted" }
  | { type: "pong" };

// Client -> server messages.
export type ClientMessage = { id?: string } & (
  | { type: "join"; room: string; since?: number }
  | { type: "leave" }
  | { type: "hand"; raised: boolean }
  | { type: "invite_to_speak"; user_id: string }
  | { type: "accept_speak" }
  | { type: "decline_speak" }
  | { type: "move_to_audience"; user_id: string }
  | { type: "mute"; muted: boolean }
  | { type: "publish"; sdp: string }
  | { type: "unpublish" }
  | { type: "subscribe_answer"; sdp: string }
  | { type: "ping" }
);
