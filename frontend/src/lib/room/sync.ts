import type { Change, SnapshotMessage } from "../protocol";
import { countOf, descriptionOf, drain, settingsOf, type Synced } from "./synced";

/** How long a resume may go unanswered, and how often an open gap asks again. */
export const RESYNC_RETRY_MS = 3000;

/** What a room message did to the synced state. */
export type SyncOutcome =
  /** The state moved: a snapshot, or deltas in order. */
  | "applied"
  /** Kept for later: it came before the first snapshot, or beyond a gap. */
  | "buffered"
  /** Old news (a version already applied) or malformed. */
  | "ignored";

/** What the sync needs from its owner: a way to send `join`, and to hear of late changes. */
export interface SyncHost {
  /** Send `join` for this room; with `since`, to resume from that version. */
  join(since?: number): void;
  /** The state changed on a timer or an acknowledgement (a resume settled). */
  changed(): void;
}

/**
 * One room's protocol sync (docs/PROTOCOL.md): the `snapshot` sets the version and each
 * `delta` must be version + 1. Deltas that arrive early wait in a buffer; a gap asks the
 * server to resume (`join` + `since`), at most every 3 s until it closes, and the
 * replayed deltas or a fresh snapshot fill it. After a reconnection the owner calls
 * `resume()`. Plain TypeScript: it never touches a socket or a screen, the host sends.
 */
export class RoomSync {
  /** The room as the server last told it; null until the first snapshot. */
  synced: Synced | null = null;
  /** Catching up: a gap or a resume is not settled yet. */
  resyncing = false;

  private readonly buffer = new Map<number, Change[]>();
  private askedAt = Number.NEGATIVE_INFINITY;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly roomId: string,
    private readonly host: SyncHost,
  ) {}

  snapshot(msg: SnapshotMessage): SyncOutcome {
    if (!msg.room || msg.room.id !== this.roomId || !Array.isArray(msg.participants)) return "ignored";
    if (typeof msg.version !== "number") return "ignored";
    const fromSnapshot: Synced = {
      version: msg.version,
      // A server before descriptions (or a malformed one) sends none: shown as nothing.
      room: { ...msg.room, description: descriptionOf(msg.room.description) },
      participants: msg.participants.filter((p) => typeof p?.user?.id === "string"),
      listeners: countOf(msg.listeners),
      settings: settingsOf(msg.settings),
    };
    this.advance(fromSnapshot);
    return "applied";
  }

  delta(version: unknown, changes: unknown): SyncOutcome {
    if (typeof version !== "number" || !Array.isArray(changes)) return "ignored";
    if (this.synced && version <= this.synced.version) return "ignored";
    this.buffer.set(version, changes as Change[]);
    if (!this.synced) return "buffered"; // wait for the snapshot
    const before = this.synced.version;
    this.advance(this.synced);
    return this.synced.version > before ? "applied" : "buffered";
  }

  /** After a reconnection: ask for what was missed since our version (or join afresh). */
  resume(): void {
    if (!this.synced) {
      this.host.join();
      return;
    }
    this.resyncing = true;
    this.askedAt = Date.now();
    this.host.join(this.synced.version);
    // Nothing may have changed while we were away: then no delta comes back.
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), RESYNC_RETRY_MS);
  }

  /** The server answered our `join` with `ok`. */
  acknowledged(): void {
    if (this.resyncing) this.settle();
  }

  /** The room view is over: no more asking. What was synced stays readable. */
  stop(): void {
    clearTimeout(this.settleTimer);
    clearTimeout(this.retryTimer);
    this.buffer.clear();
    this.resyncing = false;
  }

  private advance(from: Synced): void {
    const { synced, gap } = drain(from, this.buffer);
    this.synced = synced;
    this.resyncing = gap;
    if (gap) this.askToResume();
  }

  /** A resume is answered (or timed out): caught up unless deltas are still missing. */
  private settle(): void {
    clearTimeout(this.settleTimer);
    if (!this.resyncing) return;
    if (this.buffer.size === 0) {
      this.resyncing = false;
      this.host.changed();
    } else {
      this.askToResume();
    }
  }

  /** A delta arrived out of order: ask for what we missed (join with since), at most every 3 s. */
  private askToResume(): void {
    if (!this.synced) return;
    const wait = this.askedAt + RESYNC_RETRY_MS - Date.now();
    if (wait > 0) {
      // Asked a moment ago: ask again when the 3 s are up, if the gap is still open then.
      this.retryIn(wait);
      return;
    }
    this.askedAt = Date.now();
    this.host.join(this.synced.version);
    this.retryIn(RESYNC_RETRY_MS + 100);
  }

  private retryIn(ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.resyncing) this.askToResume();
    }, ms);
  }
}
