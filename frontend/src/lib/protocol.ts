/**
 * Every shape of the room protocol on the app's WebSocket (docs/PROTOCOL.md, protocol 2):
 * the one place the client imports WebSocket types from. They are generated from the
 * server's own message models (`src/generated/protocol.ts`, `make generated`), so a
 * message changed on the server fails this client's type check until it follows. The
 * HTTP API's shapes are in `api-types.ts`.
 */
import type {
  DescriptionChange,
  ListenersChange,
  RemoveChange,
  SettingsChange,
  UpsertChange,
} from "../generated/protocol";

export { CloseCode } from "../generated/protocol";
export type {
  AudiencePageMessage,
  ClientMessage,
  ErrorCode,
  Participant,
  Role,
  RoomHeader,
  RoomSettings,
  ServerMessage,
  SnapshotMessage,
} from "../generated/protocol";

/** One change of a delta. */
export type Change = UpsertChange | RemoveChange | ListenersChange | SettingsChange | DescriptionChange;

