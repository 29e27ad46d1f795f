/**
 * Every shape of the room protocol on the app's WebSocket (docs/PROTOCOL.md, protocol 2):
 * the one place the client imports WebSocket types from, so that types generated from
 * the server's message schemas can take this file's place. The HTTP API's shapes are in
 * `api-types.ts`; a few (a member, a notification) travel on both.
 */
import type { Notification, User, Visibility } from "./api-types";

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

export type SnapshotMessage = Extract<ServerMessage, { type: "snapshot" }>;
export type AudiencePageMessage = Extract<ServerMessage, { type: "audience_page" }>;

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
