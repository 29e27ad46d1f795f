import type { Change, Participant, RoomHeader, RoomSettings } from "../protocol";

/**
 * The server-authoritative part of a room (protocol 2): its header, the *visible set*
 * (everyone on stage, raised hands, invitations), the audience count and the settings.
 * A member who is not in `participants` is a plain listener.
 */
export interface Synced {
  version: number;
  room: RoomHeader;
  participants: Participant[]; // in server order; upserts of new people append
  /** The number of people in the audience (raised hands included). */
  listeners: number;
  settings: RoomSettings;
}

export const DEFAULT_SETTINGS: RoomSettings = { hands: true };

/** Settings as sent, with anything missing or malformed taken as the default. */
export function settingsOf(raw: unknown): RoomSettings {
  const hands = (raw as { hands?: unknown } | null | undefined)?.hands;
  return { hands: typeof hands === "boolean" ? hands : DEFAULT_SETTINGS.hands };
}

/** A count as sent; anything else (absent, negative, not a number) is 0. */
export function countOf(raw: unknown): number {
  return typeof raw === "number" && Number.isFinite(raw) && raw >= 0 ? Math.floor(raw) : 0;
}

export function applyChanges(participants: Participant[], changes: Change[]): Participant[] {
  let next = participants;
  for (const change of changes) {
    if (!change || typeof change !== "object") continue;
    if (change.op === "upsert" && change.participant?.user?.id) {
      const id = change.participant.user.id;
      const index = next.findIndex((p) => p.user.id === id);
      next = index === -1 ? [...next, change.participant] : next.map((p, i) => (i === index ? change.participant : p));
    } else if (change.op === "remove" && typeof change.user_id === "string") {
      next = next.filter((p) => p.user.id !== change.user_id);
    }
  }
  return next;
}

/** A description as sent; anything but a string (absent, malformed) is none. */
export function descriptionOf(raw: unknown): string {
  return typeof raw === "string" ? raw : "";
}

/** One delta's changes applied to the whole synced state (participants, count, settings, description). */
export function applyDelta(synced: Synced, version: number, changes: Change[]): Synced {
  let { listeners, settings, room } = synced;
  for (const change of changes) {
    if (!change || typeof change !== "object") continue;
    // A malformed count keeps the one we had rather than showing 0.
    if (change.op === "listeners") listeners = typeof change.count === "number" ? countOf(change.count) : listeners;
    else if (change.op === "settings") settings = settingsOf(change.settings);
    else if (change.op === "description") room = { ...room, description: descriptionOf(change.description) };
  }
  return { ...synced, version, room, participants: applyChanges(synced.participants, changes), listeners, settings };
}

/**
 * Apply buffered deltas in order starting right after `synced.version`.
 * Returns the new synced state and whether a gap remains (buffered deltas beyond
 * a missing version).
 */
export function drain(
  synced: Synced,
  buffer: Map<number, Change[]>,
): { synced: Synced; gap: boolean } {
  let current = synced;
  for (const v of [...buffer.keys()]) if (v <= current.version) buffer.delete(v);
  for (;;) {
    const changes = buffer.get(current.version + 1);
    if (!changes) break;
    buffer.delete(current.version + 1);
    current = applyDelta(current, current.version + 1, changes);
  }
  return { synced: current, gap: buffer.size > 0 };
}

/** The snapshot's `you` is not pinned down by the protocol; accept an id, a User or a Participant. */
export function youId(you: unknown): string | null {
  if (typeof you === "string") return you;
  if (you && typeof you === "object") {
    const o = you as { id?: unknown; user?: { id?: unknown }; user_id?: unknown };
    if (typeof o.user?.id === "string") return o.user.id;
    if (typeof o.user_id === "string") return o.user_id;
    if (typeof o.id === "string") return o.id;
  }
  return null;
}

export const onStage = (p: Participant | null | undefined): boolean =>
  !!p && (p.role === "moderator" || p.role === "speaker");
