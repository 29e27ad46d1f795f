import type { AudiencePageMessage, ClientMessage } from "../protocol";
import type { User } from "../api-types";
import type { RequestTracker } from "./requests";

/** The audience, listed on request one page at a time (never derived from participants). */
export interface AudienceList {
  opened: boolean;
  items: User[];
  /** The cursor for the next page; null when the last page is loaded. */
  next: string | null;
  loading: boolean;
  error: string | null;
}

export const NO_AUDIENCE: AudienceList = { opened: false, items: [], next: null, loading: false, error: null };

export const AUDIENCE_PAGE = 50;
/** The most rows one `audience` may ask for (docs/PROTOCOL.md). */
const AUDIENCE_MAX = 100;

/**
 * "See who's listening": asks for pages with `audience` (`after` = the previous page's
 * `next`) and keeps the rows the member asked for. A room may hold thousands of
 * listeners; only these pages are ever drawn.
 */
export class AudiencePager {
  list: AudienceList = NO_AUDIENCE;
  /** The request under way is for the first page: its answer replaces the rows. */
  private restarting = false;
  /** The audience changed while a page was on its way: ask again once it is here. */
  private stale = false;

  constructor(
    private readonly requests: RequestTracker,
    private readonly send: (msg: ClientMessage) => boolean,
  ) {}

  /** The first page (`more`: false) or the next one. */
  load(more: boolean): void {
    const list = this.list;
    if (more && (!list.next || list.loading)) return;
    const id = this.requests.id();
    const msg: ClientMessage =
      more && list.next
        ? { type: "audience", after: list.next, limit: AUDIENCE_PAGE, id }
        : { type: "audience", limit: AUDIENCE_PAGE, id };
    if (!this.send(msg)) {
      this.list = { ...list, opened: true, error: "You're offline. Reconnecting…" };
      return;
    }
    this.requests.expect("audience", id);
    this.restarting = !more;
    this.list = { ...list, opened: true, loading: true, error: null };
  }

  /**
   * The audience changed (its count moved): ask again, quietly, for the rows the member
   * sees (up to the 100 a page may hold), so the open list follows people coming and
   * going. The server announces the count at most once a second, so this is as often
   * as the list is asked for.
   */
  refresh(): void {
    const list = this.list;
    if (!list.opened) return;
    if (list.loading || this.requests.pending("audience")) {
      this.stale = true;
      return;
    }
    const id = this.requests.id();
    const limit = Math.min(AUDIENCE_MAX, Math.max(AUDIENCE_PAGE, list.items.length));
    if (!this.send({ type: "audience", limit, id })) return;
    this.requests.expect("audience", id);
    this.restarting = true;
    this.stale = false;
  }

  /** An `audience_page`; false when it does not answer our latest request. */
  page(msg: AudiencePageMessage): boolean {
    if (!this.requests.answers(msg.ref, "audience")) return false;
    this.requests.forget("audience");
    const page = Array.isArray(msg.listeners) ? msg.listeners.filter((u) => typeof u?.id === "string") : [];
    const kept = this.restarting ? [] : this.list.items;
    const seen = new Set(kept.map((u) => u.id));
    const items = [...kept, ...page.filter((u) => !seen.has(u.id))];
    const next = typeof msg.next === "string" && msg.next ? msg.next : null;
    this.list = { opened: true, items, next, loading: false, error: null };
    if (this.stale) this.refresh();
    return true;
  }

  /**
   * An `error` for a request: "mine" when it answered our latest page, "restart" when
   * the cursor went stale (the owner asks for the first page again), "not-mine" else.
   */
  failed(ref: string | undefined, code: string, text: string): "mine" | "restart" | "not-mine" {
    if (!this.requests.answers(ref, "audience")) return "not-mine";
    this.requests.forget("audience");
    if (code === "bad_cursor") {
      this.list = { ...this.list, items: [], next: null, loading: false };
      return "restart";
    }
    this.list = { ...this.list, loading: false, error: text };
    return "mine";
  }

  /** Someone left the room at a moderator's hand: no longer listed. */
  without(userId: string): void {
    this.list = { ...this.list, items: this.list.items.filter((u) => u.id !== userId) };
  }

  close(): void {
    this.requests.forget("audience");
    this.stale = false;
    this.list = NO_AUDIENCE;
  }
}
