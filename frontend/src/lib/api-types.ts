/**
 * Every shape of the HTTP API (docs/API.md, docs/API-SOCIAL.md, docs/API-ADMIN.md): the
 * one place the client imports REST types from. They are generated from the server's
 * OpenAPI document (`src/generated/api.ts`, `make generated`), so a route changed on
 * the server fails this client's type check until it follows; the names here are the
 * ones the client's code reads best with. The WebSocket's shapes are in `protocol.ts`.
 */
import type * as Api from "../generated/api";

/**
 * A member as the client handles them: the server sends a plain `User` in some places
 * (the room protocol, an admin's lists) and a `UserCard`, with the picture, in others.
 */
export type User = Api.User & Partial<Pick<Api.UserCard, "avatar_url">>;

/** The signed-in member; the client keeps their picture beside it once a profile shows it. */
export type Me = Api.Me & Partial<Pick<Api.UserCard, "avatar_url">>;

export type {
  AdminInvite,
  AdminMember,
  AuditEntry,
  Club,
  ClubMember,
  ClubRef,
  Event,
  HallwayEvent,
  HallwayRoom,
  JoinRequest,
  Notification,
  Profile,
  Report,
  RoomSummary,
  SearchResults,
  TreeNode,
  UserCard,
  // Bodies and small answers, named as the server names them.
  AvatarUrl,
  BlockList,
  CalendarLink,
  ClubList,
  ClubMemberList,
  EditClubBody,
  Hallway,
  IceServers,
  JoinRequestList,
  MyInvites,
  NewClubBody,
  NewRoomBody,
  Passkey,
  PasskeyAuthenticationCredential,
  PasskeyCreation,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRegistrationCredential,
  PasskeyRequest,
  PasskeyRequestOptions,
  ProfileBody,
  ReportBody,
  ResetDone,
  ResetLink,
  ResetLinkInfo,
  RevokedBranch,
  RevokedInvite,
  RoomLink,
  RoomList,
  SignupBody,
  StartedEvent,
} from "../generated/api";

/** Who may see and enter a room (docs/PROTOCOL.md "Room types"). */
export type Visibility = NonNullable<Api.NewRoomBody["visibility"]>;
export type ClubRole = NonNullable<Api.Club["my_role"]>;
export type NotificationKind = Api.Notification["kind"];
export type Reason = Api.HallwayReason;
export type InviteCreated = Api.NewInvite;
/** One of the member's own invitations (`GET /api/invites`). */
export type InviteInfo = Api.MyInvite;
/** What an invitation link says before sign-up (`POST /api/invites/inspect`). */
export type InviteInspect = Api.InviteInfo;
export type UserPage = Api.UserList;
export type NotificationPage = Api.NotificationList;
export type NewEvent = Api.NewEventBody;
export type EventPatch = Api.EventPatchBody;
export type ReportReason = Api.ReportBody["reason"];
export type InviteStatus = "all" | Api.AdminInvite["status"];
export type AuditPage = Api.AuditEntryList;
export type AdminMemberPage = Api.AdminMemberList;
export type AdminInvitePage = Api.AdminInviteList;
export type ReportPage = Api.ReportList;
