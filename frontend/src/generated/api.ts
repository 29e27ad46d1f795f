// Generated from src/generated/openapi.json by scripts/generate-types.mjs. Do not edit:
// change the server's models and run `make generated`.
/**
 * Every error code, each with its one HTTP status (:attr:`status`).
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
 * Everything the server holds about the member (docs/API-SOCIAL.md, "Your own
 * data"): their rows, never other members' private data, never a secret.
 */
export interface AccountExport {
  format: "teahouse-export/1";
  exported_at: string;
  account: ExportAccount;
  avatar: ExportAvatar | null;
  sessions: ExportSession[];
  invitations: ExportInvitation[];
  following: ExportFollowOrBlock[];
  followers: ExportFollowOrBlock[];
  blocks: ExportFollowOrBlock[];
  clubs: ExportClubs;
  events_hosted: ExportHostedEvent[];
  events_cohosted: ExportCohostedEvent[];
  events_asked_about: ExportInterest[];
  notifications: ExportNotification[];
  rooms_created: ExportRoom[];
  rooms_admitted_to: RoomRef[];
  reports_filed: ExportReport[];
  calendar_feed: ExportCalendarFeed[];
  passkeys: ExportPasskey[];
}
export interface ExportAccount {
  id: string;
  username: string;
  display_name: string;
  bio: string;
  joined_at: string;
  is_admin: boolean;
  invites_left: number;
  nominated_by: UserCard | null;
}
/**
 * docs/API-SOCIAL.md: a ``User`` plus the URL of their picture.
 */
export interface UserCard {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
}
export interface ExportAvatar {
  content_type: string;
  updated_at: string;
  base64: string;
}
export interface ExportSession {
  created_at: string;
  expires_at: string;
}
export interface ExportInvitation {
  id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: UserCard | null;
}
export interface ExportFollowOrBlock {
  user: UserCard | null;
  since: string;
}
export interface ExportClubs {
  member_of: ExportMembership[];
  founded: ClubRef[];
  followed: ExportClubFollow[];
  invitations: ExportClubInvitation[];
  join_requests: ExportJoinRequest[];
}
export interface ExportMembership {
  club: ClubRef;
  role: string;
  joined_at: string;
}
export interface ClubRef {
  id: string;
  name: string;
}
export interface ExportClubFollow {
  club: ClubRef;
  since: string;
}
export interface ExportClubInvitation {
  club: ClubRef;
  invited_by: UserCard | null;
  at: string;
}
/**
 * A request of theirs to join a club, and what became of it (not who answered:
 * that is the admin's, not theirs).
 */
export interface ExportJoinRequest {
  club: ClubRef;
  status: string;
  at: string;
  answered_at: string | null;
}
export interface ExportHostedEvent {
  id: string;
  title: string;
  starts_at: string;
  club: ClubRef | null;
  description: string;
  time_zone: string;
  repeats: string | null;
  room_id: string | null;
  created_at: string;
  cancelled_at: string | null;
  cohosts: (UserCard | null)[];
}
export interface ExportCohostedEvent {
  id: string;
  title: string;
  starts_at: string;
  club: ClubRef | null;
  host: UserCard | null;
}
export interface ExportInterest {
  event: ExportEventRef;
  since: string;
}
export interface ExportEventRef {
  id: string;
  title: string;
  starts_at: string;
  club: ClubRef | null;
}
export interface ExportNotification {
  id: string;
  kind: string;
  created_at: string;
  read_at: string | null;
  actor: UserCard | null;
  room: RoomRef | null;
  event: ExportEventRef | null;
  club: ClubRef | null;
}
export interface RoomRef {
  id: string;
  title: string;
}
export interface ExportRoom {
  id: string;
  title: string;
  description: string;
  visibility: string;
  club: ClubRef | null;
  created_at: string;
  ended_at: string | null;
}
export interface ExportReport {
  id: string;
  created_at: string;
  reason: string;
  details: string;
  user: UserCard | null;
  room: ExportReportRoom | null;
  resolved_at: string | null;
  resolution: string | null;
}
export interface ExportReportRoom {
  id: string;
  title: string | null;
}
export interface ExportCalendarFeed {
  created_at: string;
}
/**
 * A passkey: the name given it, and what the server checks log-ins with (the
 * credential id and public key, base64url; neither is a secret).
 */
export interface ExportPasskey {
  name: string;
  created_at: string;
  credential_id: string;
  public_key: string;
  sign_count: number;
}
/**
 * docs/API-ADMIN.md ``AdminInvite``.
 */
export interface AdminInvite {
  id: string;
  status: "unused" | "used" | "expired" | "revoked";
  created_at: string;
  expires_at: string;
  created_by: UserCard | null;
  used_by: UserCard | null;
  used_at: string | null;
  revoked_at: string | null;
}
/**
 * A page of invitations, newest first.
 */
export interface AdminInviteList {
  invites: AdminInvite[];
  next_cursor: string | null;
}
/**
 * docs/API-ADMIN.md ``AdminMember``.
 */
export interface AdminMember {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  is_admin: boolean;
  suspended_at: string | null;
  invites_left: number;
  joined_at: string;
  invited_by: UserCard | null;
}
/**
 * A page of members, newest first.
 */
export interface AdminMemberList {
  members: AdminMember[];
  next_cursor: string | null;
}
export interface AdmitBody {
  username: string;
}
/**
 * docs/API-ADMIN.md ``AuditEntry``.
 */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: UserCard | null;
  target: UserCard | null;
  room: RoomRef | null;
  detail: {
    [k: string]: string | number | boolean | undefined;
  };
}
/**
 * A page of the audit log, newest first.
 */
export interface AuditEntryList {
  entries: AuditEntry[];
  next_cursor: string | null;
}
export interface AvatarUrl {
  avatar_url: string | null;
}
export interface BlockList {
  users: UserCard[];
}
export interface CalendarLink {
  url: string | null;
  created_at: string;
}
export interface ChangePasswordBody {
  old_password: string;
  new_password: string;
}
/**
 * docs/API-SOCIAL.md ``Club``.
 */
export interface Club {
  id: string;
  name: string;
  description: string;
  rules: string;
  founder: UserCard | null;
  member_count: number;
  follower_count: number;
  my_role: ("admin" | "member") | null;
  following: boolean;
  invited: boolean;
  requested: boolean;
  created_at: string;
}
export interface ClubList {
  clubs: Club[];
}
export interface ClubMember {
  user: UserCard;
  role: "admin" | "member";
}
/**
 * A page of a club's members, in the order they joined.
 */
export interface ClubMemberList {
  members: ClubMember[];
  next_cursor: string | null;
}
export interface DeleteAccountBody {
  password: string;
}
export interface EditClubBody {
  description?: string | null;
  rules?: string | null;
}
/**
 * A machine-readable code (the web client shows its own text for each) and a
 * message for developers.
 */
export interface ErrorDetail {
  code: ErrorCode;
  message: string;
}
/**
 * The body of every error response.
 */
export interface ErrorResponse {
  error: ErrorDetail;
}
export interface Event {
  id: string;
  title: string;
  description: string;
  starts_at: string;
  time_zone: string;
  repeats: "weekly" | null;
  host: UserCard | null;
  cohosts: UserCard[];
  club: ClubRef | null;
  room_id: string | null;
  room_ended: boolean;
  cancelled: boolean;
  interested_count: number;
  notify_me: boolean;
  can_start: boolean;
  url: string;
}
export interface EventPatchBody {
  title?: string | null;
  description?: string | null;
  starts_at?: string | null;
  time_zone?: string | null;
  cohosts?: string[] | null;
  club_id?: string | null;
  repeats?: "weekly" | null;
}
export interface EventRef {
  id: string;
  title: string;
  starts_at: string;
}
export interface GiveInvitesBody {
  count: number;
}
/**
 * A page of the member's rooms; with the first page, the top events too.
 */
export interface Hallway {
  rooms: HallwayRoom[];
  events: HallwayEvent[];
  next_cursor: string | null;
}
/**
 * docs/API-SOCIAL.md ``HallwayRoom``: a ``RoomSummary`` whose people are
 * ``UserCard``s, with its club and the reason it is there.
 */
export interface HallwayRoom {
  id: string;
  title: string;
  description: string;
  visibility: string;
  created_by: UserCard;
  created_at: string;
  speakers: UserCard[];
  listener_count: number;
  participant_count: number;
  club: ClubRef | null;
  demo: boolean;
  reason: HallwayReason;
}
/**
 * Why a room or an event is in the member's hallway.
 */
export interface HallwayReason {
  kind: string;
  text: string;
  users: UserCard[];
}
/**
 * docs/API-SOCIAL.md ``HallwayEvent``: an ``Event`` and why it is there.
 */
export interface HallwayEvent {
  id: string;
  title: string;
  description: string;
  starts_at: string;
  time_zone: string;
  repeats: "weekly" | null;
  host: UserCard | null;
  cohosts: UserCard[];
  club: ClubRef | null;
  room_id: string | null;
  room_ended: boolean;
  cancelled: boolean;
  interested_count: number;
  notify_me: boolean;
  can_start: boolean;
  url: string;
  reason: HallwayReason;
}
/**
 * One entry of ``RTCConfiguration.iceServers``, as the browser takes it.
 */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}
/**
 * The ICE servers a member's browser should use, and until when.
 *
 * ``expires_at`` is null when there are none (no TURN configured): nothing to renew.
 */
export interface IceServers {
  ice_servers: IceServer[];
  expires_at: string | null;
}
export interface InspectInviteBody {
  code: string;
}
/**
 * Who made an invitation, and until when it can be used.
 */
export interface InviteInfo {
  nominated_by: User | null;
  expires_at: string;
}
export interface User {
  id: string;
  username: string;
  display_name: string;
}
/**
 * docs/API-SOCIAL.md ``JoinRequest``: an open request, as an admin sees it.
 */
export interface JoinRequest {
  id: string;
  user: UserCard;
  created_at: string;
}
/**
 * The club's open requests to join, oldest first (admins only).
 */
export interface JoinRequestList {
  requests: JoinRequest[];
}
/**
 * The process is up and its event loop answers.
 */
export interface Liveness {
  status: "ok";
}
export interface LoginBody {
  username: string;
  password: string;
}
export interface MarkReadBody {
  ids?: string[] | null;
}
export interface Me {
  id: string;
  username: string;
  display_name: string;
  invites_left: number;
  is_admin: boolean;
}
/**
 * An invitation the member made, as their invitations page lists it.
 */
export interface MyInvite {
  id: string;
  created_at: string;
  expires_at: string;
  used: boolean;
  used_by: User | null;
}
export interface MyInvites {
  invites: MyInvite[];
  invites_left: number;
}
export interface NewClubBody {
  name: string;
  description?: string;
  rules?: string;
}
export interface NewEventBody {
  title: string;
  description?: string;
  starts_at: string;
  time_zone: string;
  /**
   * @maxItems 10
   */
  cohosts?: string[];
  club_id?: string | null;
  repeats?: "weekly" | null;
}
/**
 * An invitation just made: its code is shown this once.
 */
export interface NewInvite {
  code: string;
  url: string;
  expires_at: string;
}
export interface NewPasskeyBody {
  ceremony: string;
  name: string;
  credential: PasskeyRegistrationCredential;
}
/**
 * What ``navigator.credentials.create`` made, as JSON.
 */
export interface PasskeyRegistrationCredential {
  id: string;
  rawId: string;
  type: "public-key";
  response: PasskeyAttestationResponse;
}
export interface PasskeyAttestationResponse {
  clientDataJSON: string;
  attestationObject: string;
}
export interface NewRoomBody {
  title: string;
  description?: string;
  visibility?: "open" | "social" | "closed" | "club";
  club_id?: string | null;
}
/**
 * docs/API-SOCIAL.md ``Notification``.
 */
export interface Notification {
  id: string;
  kind: string;
  created_at: string;
  read: boolean;
  actor: UserCard | null;
  room: RoomRef | null;
  event: EventRef | null;
  club: ClubRef | null;
  report: ReportRef | null;
  join_request_id: string | null;
  state: ("live" | "ended" | "open" | "accepted" | "closed" | "declined" | "withdrawn") | null;
  text: string;
}
/**
 * What an admin's ``report_filed`` notification is about: the report and why.
 */
export interface ReportRef {
  id: string;
  reason: string;
}
/**
 * A page of the member's notifications, and how many of all of them are unread.
 */
export interface NotificationList {
  notifications: Notification[];
  unread: number;
  next_cursor: string | null;
}
/**
 * One of the member's passkeys, as Settings lists it.
 */
export interface Passkey {
  id: string;
  name: string;
  created_at: string;
}
export interface PasskeyAlgorithm {
  type: "public-key";
  alg: number;
}
export interface PasskeyAssertionResponse {
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
  userHandle?: string | null;
}
/**
 * What ``navigator.credentials.get`` answered, as JSON.
 */
export interface PasskeyAuthenticationCredential {
  id: string;
  rawId: string;
  type: "public-key";
  response: PasskeyAssertionResponse;
}
export interface PasskeyAuthenticatorSelection {
  residentKey: "required";
  requireResidentKey: boolean;
  userVerification: "required";
}
/**
 * A ceremony to add a passkey: its id and the options for the browser.
 */
export interface PasskeyCreation {
  ceremony: string;
  options: PasskeyCreationOptions;
}
/**
 * ``PublicKeyCredentialCreationOptionsJSON`` (WebAuthn level 3): binary values
 * base64url, as ``PublicKeyCredential.parseCreationOptionsFromJSON`` reads them.
 */
export interface PasskeyCreationOptions {
  rp: PasskeyRelyingParty;
  user: PasskeyUser;
  challenge: string;
  pubKeyCredParams: PasskeyAlgorithm[];
  timeout: number;
  excludeCredentials: PasskeyDescriptor[];
  authenticatorSelection: PasskeyAuthenticatorSelection;
  attestation: "none";
}
export interface PasskeyRelyingParty {
  id: string;
  name: string;
}
/**
 * Who the new passkey is for: ``id`` is the member's id (base64url), which
 * the authenticator hands back when logging in.
 */
export interface PasskeyUser {
  id: string;
  name: string;
  displayName: string;
}
export interface PasskeyDescriptor {
  type: "public-key";
  id: string;
}
export interface PasskeyList {
  passkeys: Passkey[];
}
export interface PasskeyLoginBody {
  ceremony: string;
  credential: PasskeyAuthenticationCredential;
}
export interface PasskeyOptionsBody {
  password: string;
}
/**
 * A ceremony to log in with a passkey: its id and the options for the browser.
 */
export interface PasskeyRequest {
  ceremony: string;
  options: PasskeyRequestOptions;
}
/**
 * ``PublicKeyCredentialRequestOptionsJSON``: no ``allowCredentials`` listed, so
 * the authenticator offers the member's passkeys for this relying party.
 */
export interface PasskeyRequestOptions {
  rpId: string;
  challenge: string;
  timeout: number;
  allowCredentials: PasskeyDescriptor[];
  userVerification: "required";
}
export interface PingBody {
  username: string;
}
/**
 * docs/API-SOCIAL.md `Profile`.
 */
export interface Profile {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  bio: string;
  nominated_by: UserCard | null;
  joined_at: string;
  followers_count: number;
  following_count: number;
  clubs: ClubRef[];
  followed_by_me: boolean;
  follows_me: boolean;
  blocked_by_me: boolean;
  is_me: boolean;
}
export interface ProfileBody {
  display_name?: string | null;
  bio?: string | null;
}
/**
 * Whether every dependency answers; each one's state by name (``database``,
 * ``media``, and ``redis`` once one is configured).
 */
export interface Readiness {
  status: "ready" | "not_ready";
  checks: {
    [k: string]: "up" | "down" | undefined;
  };
}
/**
 * docs/API-ADMIN.md ``Report``.
 */
export interface Report {
  id: string;
  status: "open" | "resolved";
  reason: "harassment" | "hate" | "spam" | "impersonation" | "self_harm" | "other";
  details: string;
  reporter: UserCard | null;
  user: UserCard | null;
  room: ReportRoom | null;
  context: ReportContext;
  created_at: string;
  resolved_at: string | null;
  resolved_by: UserCard | null;
  resolution: string | null;
}
export interface ReportRoom {
  id: string;
  title: string;
  live: boolean;
}
/**
 * What the server knew when the report was filed.
 */
export interface ReportContext {
  at: string;
  room: ReportContextRoom | null;
  reporter_role: string | null;
  target_role: string | null;
}
export interface ReportContextRoom {
  id: string;
  title: string | null;
}
export interface ReportBody {
  user_id?: string | null;
  room_id?: string | null;
  reason: "harassment" | "hate" | "spam" | "impersonation" | "self_harm" | "other";
  details?: string;
}
/**
 * A page of reports, newest first.
 */
export interface ReportList {
  reports: Report[];
  next_cursor: string | null;
}
/**
 * The password is set: the member logs in with it.
 */
export interface ResetDone {
  username: string;
}
/**
 * A password reset link just made: shown this once; the server keeps its hash.
 */
export interface ResetLink {
  username: string;
  url: string;
  expires_at: string;
}
/**
 * Whose password a reset link sets, and until when it can be used.
 */
export interface ResetLinkInfo {
  username: string;
  display_name: string;
  expires_at: string;
}
export interface ResetTokenBody {
  token: string;
}
export interface ResolveBody {
  resolution?: string;
}
/**
 * How many unused invitations were revoked.
 */
export interface RevokedBranch {
  revoked: number;
}
export interface RevokedInvite {
  id: string;
  status: "unused" | "used" | "expired" | "revoked";
}
/**
 * A link that lets whoever opens it into a closed room while the room lives.
 */
export interface RoomLink {
  url: string;
}
export interface RoomLinkBody {
  code: string;
}
export interface RoomList {
  rooms: RoomSummary[];
}
export interface RoomSummary {
  id: string;
  title: string;
  description: string;
  visibility: string;
  created_by: User | null;
  created_at: string;
  speakers: User[];
  listener_count: number;
  participant_count: number;
  club: ClubRef | null;
}
export interface RoomPatchBody {
  description: string;
}
export interface SearchResults {
  members: UserCard[];
  clubs: ClubRef[];
  rooms: RoomSummary[];
}
export interface SignupBody {
  code: string;
  username: string;
  password: string;
  display_name?: string | null;
}
/**
 * The room the event's start opened.
 */
export interface StartedEvent {
  room_id: string;
}
export interface TreeMember {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  is_admin: boolean;
  suspended: boolean;
}
/**
 * docs/API-ADMIN.md ``TreeNode``: a member and, below them, whom they invited.
 */
export interface TreeNode {
  member: TreeMember;
  unused_invites: number;
  children: TreeNode[];
}
export interface UseResetBody {
  token: string;
  password: string;
}
/**
 * A page of members (followers, following), newest first.
 */
export interface UserList {
  users: UserCard[];
  next_cursor: string | null;
}
export interface UsernameBody {
  username: string;
}
