import type { User } from "../api-types";
import type { Participant } from "../protocol";
import type { SocketStatus } from "../socket";
import { NO_AUDIENCE, type AudienceList } from "./audience";
import type { PublishState } from "./media";
import type { RoomPhase } from "./phase";
import type { Synced } from "./synced";

/** Everything the room screen shows, in one place; the view is derived from it. */
export interface RoomState {
  phase: RoomPhase;
  /** The room of the phase (null when idle). */
  roomId: string | null;
  synced: Synced | null;
  youId: string | null;
  /** Who we are, for showing ourselves as a plain listener (not in the visible set). */
  selfUser: User | null;
  connection: SocketStatus;
  mediaDown: boolean;
  publishState: PublishState;
  micError: string | null;
  audioBlocked: boolean;
  receivingStreams: number;
  /** The member declined (or dismissed) the current invitation to speak. */
  inviteDismissed: boolean;
  /** A mute/unmute sent and not yet confirmed by a delta. */
  pendingMute: boolean | null;
  /** We arrived on the stage muted and have not unmuted yet: "unmute to talk". */
  stagePrompt: boolean;
  audience: AudienceList;
}

export const IDLE_ROOM: RoomState = {
  phase: { name: "idle" },
  roomId: null,
  synced: null,
  youId: null,
  selfUser: null,
  connection: "idle",
  mediaDown: false,
  publishState: "off",
  micError: null,
  audioBlocked: false,
  receivingStreams: 0,
  inviteDismissed: false,
  pendingMute: null,
  stagePrompt: false,
  audience: NO_AUDIENCE,
};

/** Someone's entry in the visible set, if they are in it (on stage, hand raised, invited). */
export function findParticipant(synced: Synced | null, userId: string | null): Participant | null {
  if (!synced || !userId) return null;
  return synced.participants.find((p) => p.user.id === userId) ?? null;
}

/** Our entry in the visible set, if we are in it. */
export function visibleSelf(state: RoomState): Participant | null {
  return findParticipant(state.synced, state.youId);
}

/**
 * Ourselves as a participant. A member not in the visible set is a plain listener
 * (protocol 2), so in a live room this is never null once we know who we are.
 */
export function me(state: RoomState): Participant | null {
  return selfParticipant(state.synced, state.youId, state.selfUser);
}

export function selfParticipant(synced: Synced | null, youId: string | null, selfUser: User | null): Participant | null {
  const visible = findParticipant(synced, youId);
  if (visible || !synced || !youId || !selfUser) return visible;
  return plainListener(selfUser);
}

/** Who `id` is: the first of `known` with that id, else their entry in the visible set. */
export function userWithId(id: string | null, known: (User | null | undefined)[], synced: Synced | null): User | null {
  if (!id) return null;
  return known.find((u) => u?.id === id) ?? findParticipant(synced, id)?.user ?? null;
}

/** A `room_ended` or `removed` is about our room (`room`: its id, or the room; absent: ours). */
export function isAboutRoom(room: unknown, roomId: string | null): boolean {
  const id = typeof room === "string" ? room : (room as { id?: unknown } | null)?.id;
  return !!roomId && (typeof id !== "string" || id === roomId);
}

export function plainListener(user: User): Participant {
  return { user, role: "listener", hand_raised: false, invited: false, muted: false, speaking: false, publishing: false };
}

/** A plain-JSON view for the end-to-end tests (`window.teahouse.state()`, frontend/README.md). */
export function testView(s: RoomState): unknown {
  const phase = s.phase;
  return {
    roomId: s.roomId,
    phase: phase.name,
    version: s.synced?.version ?? null,
    room: s.synced?.room ?? null,
    participants: s.synced?.participants ?? [],
    listeners: s.synced?.listeners ?? null,
    settings: s.synced?.settings ?? null,
    audience: { opened: s.audience.opened, users: s.audience.items.map((u) => u.username), next: s.audience.next },
    you: s.youId,
    me: me(s),
    inVisibleSet: !!visibleSelf(s),
    connection: s.connection,
    resyncing: phase.name === "live" && phase.resyncing,
    mediaDown: s.mediaDown,
    publishState: s.publishState,
    micError: s.micError,
    audioBlocked: s.audioBlocked,
    receivingStreams: s.receivingStreams,
    stagePrompt: s.stagePrompt,
    problem: "problem" in phase ? phase.problem : null,
  };
}
