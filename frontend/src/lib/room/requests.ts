/** A refused room action, for screens that show the error themselves (a confirm sheet). */
export class RoomActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RoomActionError";
  }
}

/** Requests of which only the latest one's answer counts. */
export type Tracked = "join" | "publish" | "mute" | "audience";

interface Waiter {
  resolve: () => void;
  reject: (err: RoomActionError) => void;
}

/**
 * Correlates the room's requests with the server's answers (`ok` and `error` carry the
 * request's id as `ref`). Joins, publishes, mutes and audience pages remember their
 * latest id: an answer to an earlier one is stale. An action a screen waits for
 * (removing someone, ending the room) gets a promise that its answer settles.
 */
export class RequestTracker {
  private readonly latest = new Map<Tracked, string>();
  private readonly waiting = new Map<string, Waiter>();

  constructor(private readonly newId: () => string) {}

  /** A fresh request id. */
  id(): string {
    return this.newId();
  }

  /** `id` is now the latest request of its kind. */
  expect(kind: Tracked, id: string): void {
    this.latest.set(kind, id);
  }

  /** Whether `ref` answers the latest request of `kind`. */
  answers(ref: string | undefined, kind: Tracked): boolean {
    return !!ref && this.latest.get(kind) === ref;
  }

  /** Whether a request of `kind` is still unanswered. */
  pending(kind: Tracked): boolean {
    return this.latest.has(kind);
  }

  forget(kind: Tracked): void {
    this.latest.delete(kind);
  }

  /** A promise that the answer to request `id` settles. */
  wait(id: string): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /** An `ok`: resolves the screen waiting for it; false when none is. */
  resolve(ref: string | undefined): boolean {
    const waiter = this.take(ref);
    waiter?.resolve();
    return !!waiter;
  }

  /** An `error`: rejects the screen waiting for it; false when none is. */
  reject(ref: string | undefined, err: RoomActionError): boolean {
    const waiter = this.take(ref);
    waiter?.reject(err);
    return !!waiter;
  }

  /** The room is over: no answer will come, so nothing is latest and no screen waits. */
  reset(): void {
    this.latest.clear();
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.resolve();
  }

  private take(ref: string | undefined): Waiter | undefined {
    if (!ref) return undefined;
    const waiter = this.waiting.get(ref);
    this.waiting.delete(ref);
    return waiter;
  }
}
