// Generated from src/generated/protocol.schema.json by scripts/generate-types.mjs. Do not edit:
// change the server's models and run `make generated`.
/**
 * Every message a client may send.
 */
export type ClientMessage =
  | Join
  | Leave
  | Hand
  | InviteToSpeak
  | AcceptSpeak
  | DeclineSpeak
  | MoveToAudience
  | Mute
  | MakeModerator
  | RemoveModerator
  | RemoveFromRoom
  | EndRoom
  | SetHands
  | Audience
  | Publish
  | Unpublish
  | SubscribeAnswer
  | Ping;
/**
 * A participant's role; moderators and speakers are on the stage.
 */
export type Role = "moderator" | "speaker" | "listener";
/**
 * Why a message (or an HTTP request) was refused.
 */
export type ErrorCode =
  | "invalid_request"
  | "malformed_message"
  | "unknown_type"
  | "message_too_large"
  | "weak_password"
  | "invalid_username"
  | "invalid_sdp"
  | "invalid_time_zone"
  | "event_in_past"
  | "avatar_not_an_image"
  | "avatar_too_many_pixels"
  | "bad_cursor"
  | "cannot_report_yourself"
  | "invite_malformed"
  | "passkey_challenge_expired"
  | "passkey_rejected"
  | "not_authenticated"
  | "bad_credentials"
  | "origin_forbidden"
  | "room_forbidden"
  | "not_moderator"
  | "not_speaker"
  | "invite_quota_exhausted"
  | "not_club_admin"
  | "not_invited"
  | "not_club_member"
  | "not_host"
  | "ping_not_allowed"
  | "not_admin"
  | "suspended"
  | "removed_from_room"
  | "blocked"
  | "not_allowed"
  | "not_found"
  | "room_not_found"
  | "user_not_found"
  | "not_in_room"
  | "club_not_found"
  | "not_member"
  | "event_not_found"
  | "avatar_not_found"
  | "invite_not_found"
  | "report_not_found"
  | "room_link_invalid"
  | "invite_unknown"
  | "passkey_not_found"
  | "reset_link_unknown"
  | "method_not_allowed"
  | "request_timeout"
  | "username_taken"
  | "display_name_taken"
  | "room_ended"
  | "wrong_state"
  | "already_in_room"
  | "club_name_taken"
  | "already_member"
  | "last_admin"
  | "event_started"
  | "event_cancelled"
  | "already_pinged"
  | "cannot_suspend_admin"
  | "member_suspended"
  | "already_resolved"
  | "hands_disabled"
  | "joined_elsewhere"
  | "invite_used"
  | "passkey_exists"
  | "too_many_passkeys"
  | "reset_link_used"
  | "invite_expired"
  | "invite_revoked"
  | "reset_link_expired"
  | "request_too_large"
  | "avatar_too_large"
  | "upgrade_required"
  | "too_many_attempts"
  | "too_many_reports"
  | "rate_limited"
  | "room_busy"
  | "internal_error"
  | "media_unavailable"
  | "already_requested"
  | "join_request_not_found"
  | "room_moved";
/**
 * Every message the server sends.
 */
export type ServerMessage =
  | WelcomeMessage
  | SnapshotMessage
  | DeltaMessage
  | AudiencePageMessage
  | RoomEndedMessage
  | RemovedMessage
  | OkMessage
  | ErrorMessage
  | PublishAnswerMessage
  | SubscribeOfferMessage
  | MediaStatusMessage
  | PongMessage
  | NotificationMessage
  | HallwayChangedMessage;

/**
 * An invited listener goes on the stage.
 */
export interface AcceptSpeak {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "accept_speak";
}
/**
 * Ask for one page of the audience; answered with `audience_page`.
 */
export interface Audience {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "audience";
  after?: string | null;
  limit?: number;
}
/**
 * One page of the audience, in the order they joined it (reply to `audience`).
 */
export interface AudiencePageMessage {
  type: "audience_page";
  listeners: User[];
  /**
   * Pass as `after` for the next page; null: the last.
   */
  next: string | null;
  count: number;
  /**
   * The `id` of the message this answers.
   */
  ref?: string;
}
/**
 * A member as the room protocol shows them.
 */
export interface User {
  id: string;
  username: string;
  display_name: string;
}
/**
 * Enter a room (or resume in it from `since`); answered with `snapshot` or the missed `delta`s.
 */
export interface Join {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "join";
  /**
   * A member's or room's id.
   */
  room: string;
  since?: number | null;
}
/**
 * Leave the room; the last moderator leaving ends it.
 */
export interface Leave {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "leave";
}
/**
 * A listener raises or lowers their hand.
 */
export interface Hand {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "hand";
  raised: boolean;
}
/**
 * A moderator invites a listener to the stage (one with a raised hand goes up at once).
 */
export interface InviteToSpeak {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "invite_to_speak";
  /**
   * A member's or room's id.
   */
  user_id: string;
}
/**
 * An invited listener stays in the audience.
 */
export interface DeclineSpeak {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "decline_speak";
}
/**
 * Back to the audience: a moderator moves someone, or someone on the stage steps down.
 */
export interface MoveToAudience {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "move_to_audience";
  /**
   * A member's or room's id.
   */
  user_id: string;
}
/**
 * Mute or unmute yourself; a moderator mutes a speaker by naming them.
 */
export interface Mute {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "mute";
  muted: boolean;
  /**
   * Someone else (a moderator muting a speaker); absent: yourself.
   */
  user_id?: string | null;
}
/**
 * A moderator makes a speaker a moderator.
 */
export interface MakeModerator {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "make_moderator";
  /**
   * A member's or room's id.
   */
  user_id: string;
}
/**
 * A moderator makes a moderator (another, or themselves) a speaker.
 */
export interface RemoveModerator {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "remove_moderator";
  /**
   * A member's or room's id.
   */
  user_id: string;
}
/**
 * A moderator removes someone, who cannot come back while the room lives.
 */
export interface RemoveFromRoom {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "remove_from_room";
  /**
   * A member's or room's id.
   */
  user_id: string;
}
/**
 * A moderator ends the room for everyone.
 */
export interface EndRoom {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "end_room";
}
/**
 * A moderator turns hand-raising on or off.
 */
export interface SetHands {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "set_hands";
  enabled: boolean;
}
/**
 * Someone on the stage sends a complete SDP offer to publish audio; answered with `publish_answer`.
 */
export interface Publish {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "publish";
  sdp: string;
}
/**
 * Stop publishing.
 */
export interface Unpublish {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "unpublish";
}
/**
 * The client's SDP answer to a `subscribe_offer`.
 */
export interface SubscribeAnswer {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "subscribe_answer";
  sdp: string;
}
/**
 * Answered with `pong`.
 */
export interface Ping {
  /**
   * The client's own name for this message; the `ok` or `error` that answers it carries it as `ref`.
   */
  id?: string | null;
  type: "ping";
}
export interface ClubRef {
  id: string;
  name: string;
}
/**
 * What one change did to the room; versions go up by exactly 1.
 */
export interface DeltaMessage {
  type: "delta";
  version: number;
  changes: (UpsertChange | RemoveChange | ListenersChange | SettingsChange | DescriptionChange)[];
}
/**
 * Someone entered the visible set or changed in it.
 */
export interface UpsertChange {
  op: "upsert";
  participant: Participant;
}
/**
 * Someone in the visible set: on the stage, or a listener with a raised hand or an invitation.
 */
export interface Participant {
  user: User;
  role: Role;
  hand_raised: boolean;
  /**
   * A moderator invited this listener to speak.
   */
  invited: boolean;
  muted: boolean;
  /**
   * The media server's talking detector.
   */
  speaking: boolean;
  /**
   * Their audio flows into the media server.
   */
  publishing: boolean;
}
/**
 * Someone left the visible set (left the room, or became a plain listener).
 */
export interface RemoveChange {
  op: "remove";
  user_id: string;
}
/**
 * The audience count now.
 */
export interface ListenersChange {
  op: "listeners";
  count: number;
}
/**
 * The moderators turned hand-raising on or off.
 */
export interface SettingsChange {
  op: "settings";
  settings: RoomSettings;
}
/**
 * The moderators' switches for a room.
 */
export interface RoomSettings {
  /**
   * Hand-raising is on.
   */
  hands: boolean;
}
/**
 * A moderator changed what the room says it is about.
 */
export interface DescriptionChange {
  op: "description";
  /**
   * The room's description now; empty for none.
   */
  description: string;
}
/**
 * A message was refused (and changed nothing).
 */
export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  /**
   * For developers; people are shown a text for `code`.
   */
  message: string;
  /**
   * The `id` of the message this answers.
   */
  ref?: string;
  /**
   * Seconds to wait before sending that again (`rate_limited`, `room_busy`).
   */
  retry_after?: number;
}
export interface EventRef {
  id: string;
  title: string;
  starts_at: string;
}
/**
 * The hallway shows something new: fetch it again.
 */
export interface HallwayChangedMessage {
  type: "hallway_changed";
}
/**
 * The media server failed, or came back (then publish again if on the stage).
 */
export interface MediaStatusMessage {
  type: "media_status";
  state: "down" | "restarted";
}
/**
 * A notification as the member's list shows it (docs/API-SOCIAL.md).
 */
export interface Notification {
  id: string;
  /**
   * `new_follower`, `ping`, `event_starting`, `club_invite`, `report_filed`, `club_request`, `club_request_accepted` or `club_request_declined`.
   */
  kind: string;
  created_at: string;
  read: boolean;
  actor: UserCard | null;
  room: RoomRef | null;
  event: EventRef | null;
  club: ClubRef | null;
  report: ReportRef | null;
  /**
   * The request to join a club that a `club_request` (or its answer) is about; an admin answers it by this id.
   */
  join_request_id: string | null;
  /**
   * What became of it: a room `live` or `ended`; a club invitation `open`, `accepted` or `closed` (declined or withdrawn); a request to join `open`, `accepted`, `declined` or `withdrawn`; null for other kinds.
   */
  state: ("live" | "ended" | "open" | "accepted" | "closed" | "declined" | "withdrawn") | null;
  text: string;
}
/**
 * A `User` plus the URL of their picture (docs/API-SOCIAL.md).
 */
export interface UserCard {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
}
export interface RoomRef {
  id: string;
  title: string;
}
/**
 * The report an admin's ``report_filed`` notification is about.
 */
export interface ReportRef {
  id: string;
  /**
   * The report's reason (docs/API-ADMIN.md).
   */
  reason: string;
}
/**
 * A notification was made for you (on every socket you have open).
 */
export interface NotificationMessage {
  type: "notification";
  notification: Notification;
}
/**
 * The message with this `id` succeeded.
 */
export interface OkMessage {
  type: "ok";
  ref: string;
}
/**
 * The answer to `ping`.
 */
export interface PongMessage {
  type: "pong";
}
/**
 * The media server's SDP answer to `publish`.
 */
export interface PublishAnswerMessage {
  type: "publish_answer";
  sdp: string;
}
/**
 * A moderator removed you; you cannot join this room again while it lives.
 */
export interface RemovedMessage {
  type: "removed";
  room: string;
}
/**
 * The room ended; the client is no longer in it.
 */
export interface RoomEndedMessage {
  type: "room_ended";
  room: string;
  /**
   * `no_moderator`, `ended_by_moderator` or `ended_by_admin`.
   */
  reason: string;
}
/**
 * The room a snapshot is of.
 */
export interface RoomHeader {
  id: string;
  title: string;
  /**
   * What the room is about (at most 280 characters, line breaks kept); empty for nothing. Changes arrive as `description` changes.
   */
  description: string;
  /**
   * `open`, `social`, `closed` or `club`.
   */
  visibility: string;
  /**
   * Null when a block stands between the creator and this member.
   */
  created_by: User | null;
  created_at: string;
  ended: boolean;
  /**
   * A demo room: seeded members, no audio.
   */
  demo: boolean;
}
/**
 * The first message on every socket: who the server takes the client for.
 */
export interface WelcomeMessage {
  type: "welcome";
  protocol: number;
  user: User;
}
/**
 * The whole visible state of a room, as of `version` (on `join`, or on a resume the server can no longer fill with deltas).
 */
export interface SnapshotMessage {
  type: "snapshot";
  version: number;
  participants: Participant[];
  /**
   * How many are in the audience, raised hands included.
   */
  listeners: number;
  settings: RoomSettings;
  room: RoomHeader;
  /**
   * Your user id.
   */
  you: string;
}
/**
 * The set of speakers you hear changed: answer with `subscribe_answer`.
 */
export interface SubscribeOfferMessage {
  type: "subscribe_offer";
  sdp: string;
}

/**
 * Why the server closed a WebSocket (docs/PROTOCOL.md).
 */
export enum CloseCode {
  NotAuthenticated = 4401,
  OriginForbidden = 4403,
  TooSlow = 4408,
  ServerRestart = 1012,
  TooManyMessages = 4430,
  TooManySockets = 4429
}
