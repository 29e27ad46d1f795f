/** Why a room view is over; `reason` is `room_ended`'s reason for an ended room. */
export interface RoomProblem {
  code: string;
  message: string;
  reason?: string | null;
}

/** How a room view ended: the room ended, a moderator removed the member, or joining failed. */
export interface Outcome {
  name: "ended" | "removed" | "failed";
  problem: RoomProblem;
}

/**
 * Where the member is with a room. Never set directly: `derivePhase` computes it from
 * what the controller knows, in this one place, and the controller logs each change.
 *
 * - `idle`: in no room.
 * - `joining`: presenting a room link first (`presentingLink`), or waiting for the snapshot.
 * - `live`: in sync with the server; `resyncing` while a gap or a resume is not settled.
 * - `ended`, `removed`, `failed`: over, with the reason. After `removed` (a moderator
 *   removed the member) the client does not join again.
 */
export type RoomPhase =
  | { name: "idle" }
  | { name: "joining"; roomId: string; presentingLink: boolean }
  | { name: "live"; roomId: string; resyncing: boolean }
  | { name: Outcome["name"]; roomId: string; problem: RoomProblem };

export interface PhaseInputs {
  roomId: string | null;
  /** Set once the view is over; it outranks everything else. */
  outcome: Outcome | null;
  /** A room link's code is being presented: the join waits for it. */
  presentingLink: boolean;
  /** A snapshot has arrived. */
  synced: boolean;
  resyncing: boolean;
}

export function derivePhase(f: PhaseInputs): RoomPhase {
  if (f.roomId === null) return { name: "idle" };
  if (f.outcome) return { name: f.outcome.name, roomId: f.roomId, problem: f.outcome.problem };
  if (f.presentingLink || !f.synced) return { name: "joining", roomId: f.roomId, presentingLink: f.presentingLink };
  return { name: "live", roomId: f.roomId, resyncing: f.resyncing };
}

/** Joining or live: the server may still send this room's messages, and we may send ours. */
export function isActive(phase: RoomPhase): phase is Extract<RoomPhase, { name: "joining" | "live" }> {
  return phase.name === "joining" || phase.name === "live";
}

/** "live", "live (resyncing)", "ended (room_ended)": one phase in the transition log. */
export function phaseLabel(phase: RoomPhase): string {
  switch (phase.name) {
    case "idle":
      return "idle";
    case "joining":
      return phase.presentingLink ? "joining (room link)" : "joining";
    case "live":
      return phase.resyncing ? "live (resyncing)" : "live";
    default:
      return `${phase.name} (${phase.problem.code})`;
  }
}
