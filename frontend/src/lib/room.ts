import { api, ApiError } from "./api";
import { Media, type PublishState } from "./media";
import { notificationsStore } from "./notifications";
import { endedMessage, roomErrorMessage } from "./roomerrors";
import { countOf, drain, onStage, settingsOf, youId, type Synced } from "./roomstate";
import { currentMe, signedOut } from "./session";
import { appSocket, type SocketStatus } from "./socket";
import { Store } from "./store";
import { toast } from "./toast";
import type { Change, ClientMessage, Participant, ServerMessage, User } from "./types";

/** `removed`: a moderator removed the member; the client does not join again. */
export type Phase = "idle" | "joining" | "live" | "ended" | "removed" | "failed";

/** The audience, listed on request one page at a time (never derived from participants). */
export interface AudienceList {
  opened: boolean;
  items: User[];
  /** The cursor for the next page; null when the last page is loaded. */
  next: string | null;
  loading: boolean;
  error: string | null;
}

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

const AUDIENCE_PAGE = 50;

/** Everything the room screen shows, in one place; the view is derived from it. */
export interface RoomState {
  roomId: string | null;
  phase: Phase;
  synced: Synced | null;
  youId: string | null;
  /** Why the room failed to load or ended (`reason`: `room_ended`'s reason). */
  problem: { code: string; message: string; reason?: string | null } | null;
  connection: SocketStatus;
  resyncing: boolean;
  mediaDown: boolean;
  publishState: PublishState;
  micError: string | null;
  audioBlocked: boolean;
  receivingStreams: number;
  /** The member declined (or dismissed) the current invitation to speak. */
  inviteDismissed: boolean;
  /** A mute/unmute sent and not yet confirmed by a delta. */
  pendingMute: boolean | null;
  /** Who we are, for showing ourselves as a plain listener (not in the visible set). */
  selfUser: User | null;
  audience: AudienceList;
}

const NO_AUDIENCE: AudienceList = { opened: false, items: [], next: null, loading: false, error: null };

const initial: RoomState = {
  roomId: null,
  phase: "idle",
  synced: null,
  youId: null,
  problem: null,
  connection: "idle",
  resyncing: false,
  mediaDown: false,
  publishState: "off",
  micError: null,
  audioBlocked: false,
  receivingStreams: 0,
  inviteDismissed: false,
  pendingMute: null,
  selfUser: null,
  audience: NO_AUDIENCE,
};

const RESYNC_RETRY_MS = 3000;

/** Our entry in the visible set, if we are in it (on stage, hand raised, invited). */
export function visibleSelf(state: RoomState): Participant | null {
  if (!state.synced || !state.youId) return null;
  return state.synced.participants.find((p) => p.user.id === state.youId) ?? null;
}

/**
 * Ourselves as a participant. A member not in the visible set is a plain listener
 * (protocol 2), so in a live room this is never null once we know who we are.
 */
export function me(state: RoomState): Participant | null {
  const visible = visibleSelf(state);
  if (visible || !state.synced || !state.youId || !state.selfUser) return visible;
  return plainListener(state.selfUser);
}

export function plainListener(user: User): Participant {
  return { user, role: "listener", hand_raised: false, invited: false, muted: false, speaking: false, publishing: false };
}

export class RoomController {
  readonly state = new Store<RoomState>(initial);
  readonly socket = appSocket;
  readonly media: Media;

  private buffer = new Map<number, Change[]>();
  private resyncAt = 0;
  private joinRef: string | null = null;
  private publishRef: string | null = null;
  private muteRef: string | null = null;
  private audienceRef: string | null = null;
  /** A room link's code is being presented: joining waits for it. */
  private linkPending = false;
  private audienceReset = false;
  /** Actions whose `ok`/`error` a screen waits for (see `request`). */
  private pending = new Map<string, { resolve: () => void; reject: (err: RoomActionError) => void }>();
  private checkPublishingAfterResume = false;
  /** We asked to stop being a moderator: no need to tell us when it happens. */
  private steppingDown = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.media = new Media(
      (msg) => this.sendRaw(msg),
      () => this.syncMediaState(),
      (message) => toast(message),
    );
    this.socket.onMessage((msg) => this.onMessage(msg));
    this.socket.onReady((resumed) => this.onReady(resumed));
    this.socket.onStatus((status) => {
      this.patch({ connection: status });
      if (status === "refused") {
        if (this.socket.closeCode === 4401) {
          // No valid session any more: it expired, was revoked, or the account was suspended.
          this.teardown();
          this.state.set({ ...initial, connection: status });
          signedOut("You've been logged out: your session ended or your account was suspended.");
        } else {
          this.fail("origin_forbidden", "This page's address isn't allowed to connect to the server.");
        }
      }
    });
  }

  // ---------- public actions ----------

  /**
   * Join a room. With `linkCode` (from a room link, `#link=<code>`), first present the
   * code (`POST /api/rooms/{id}/enter`), then join; `onLinkUsed` runs once it was sent.
   */
  enter(roomId: string, linkCode?: string, onLinkUsed?: () => void): void {
    const s = this.state.get();
    if (s.roomId === roomId && (s.phase === "joining" || s.phase === "live")) return;
    if (s.roomId && s.roomId !== roomId) this.leave();
    this.buffer.clear();
    this.linkPending = !!linkCode;
    this.state.set({ ...initial, roomId, phase: "joining", connection: this.socket.status });
    this.socket.start();
    if (!linkCode) {
      if (this.socket.isOpen) this.sendJoin();
      return;
    }
    api
      .enterRoom(roomId, linkCode)
      .then(
        () => {
          this.linkPending = false;
          onLinkUsed?.();
          const now = this.state.get();
          if (now.roomId === roomId && now.phase === "joining" && this.socket.isOpen) this.sendJoin();
        },
        (err: unknown) => {
          this.linkPending = false;
          onLinkUsed?.();
          const now = this.state.get();
          if (now.roomId !== roomId || now.phase !== "joining") return;
          const code = err instanceof ApiError ? err.code : "network_error";
          const message = err instanceof ApiError && code !== "room_link_invalid" ? err.message : roomErrorMessage(code);
          this.fail(code, message);
        },
      );
  }

  leave(): void {
    const s = this.state.get();
    if (!s.roomId) return;
    if (s.phase === "joining" || s.phase === "live") this.sendRaw({ type: "leave" });
    this.teardown();
    this.state.set({ ...initial, connection: this.socket.status });
  }

  /** Logging out: close the app's WebSocket too. */
  shutdown(): void {
    this.leave();
    this.socket.stop();
  }

  raiseHand(raised: boolean): void {
    this.action({ type: "hand", raised });
  }

  inviteToSpeak(userId: string): void {
    this.action({ type: "invite_to_speak", user_id: userId });
  }

  acceptSpeak(): void {
    this.action({ type: "accept_speak" });
  }

  declineSpeak(): void {
    this.patch({ inviteDismissed: true });
    this.action({ type: "decline_speak" });
  }

  moveToAudience(userId: string): void {
    this.action({ type: "move_to_audience", user_id: userId });
  }

  /** A moderator mutes someone on the stage; only they can unmute themselves. */
  muteOther(userId: string): void {
    this.action({ type: "mute", muted: true, user_id: userId });
  }

  makeModerator(userId: string): void {
    this.action({ type: "make_moderator", user_id: userId });
  }

  /** Take the moderator role from someone (or from yourself: step down). */
  removeModerator(userId: string): void {
    this.steppingDown = userId === this.state.get().youId;
    this.action({ type: "remove_moderator", user_id: userId });
  }

  removeFromRoom(userId: string): Promise<void> {
    return this.request({ type: "remove_from_room", user_id: userId }).then(() => {
      this.patch({
        audience: { ...this.state.get().audience, items: this.state.get().audience.items.filter((u) => u.id !== userId) },
      });
    });
  }

  endRoom(): Promise<void> {
    return this.request({ type: "end_room" });
  }

  setHands(enabled: boolean): void {
    this.action({ type: "set_hands", enabled });
  }

  /** The first page of the audience (`more`: false) or the next one. */
  loadAudience(more = false): void {
    const s = this.state.get();
    if (s.phase !== "live") return;
    if (more && (!s.audience.next || s.audience.loading)) return;
    const id = this.socket.newId();
    const msg: ClientMessage =
      more && s.audience.next
        ? { type: "audience", after: s.audience.next, limit: AUDIENCE_PAGE, id }
        : { type: "audience", limit: AUDIENCE_PAGE, id };
    if (!this.socket.send(msg)) {
      this.patch({ audience: { ...s.audience, opened: true, error: "You're offline. Reconnecting…" } });
      return;
    }
    this.audienceRef = id;
    this.audienceReset = !more;
    this.patch({ audience: { ...s.audience, opened: true, loading: true, error: null } });
  }

  closeAudience(): void {
    this.audienceRef = null;
    this.patch({ audience: NO_AUDIENCE });
  }

  setMuted(muted: boolean): void {
    // Act on the microphone at once; the server's delta confirms the flag.
    const id = this.action({ type: "mute", muted });
    if (!id) return;
    this.muteRef = id;
    this.media.setMuted(muted);
    this.patch({ pendingMute: muted });
  }

  retryAudio(): void {
    const self = me(this.state.get());
    if (onStage(self)) this.media.startPublishing(self!.muted);
  }

  unlockAudio(): void {
    this.media.unlockAudio();
  }

  // ---------- internals ----------

  private patch(part: Partial<RoomState>): void {
    this.state.update((s) => ({ ...s, ...part }));
  }

  private sendRaw(msg: ClientMessage): boolean {
    if (msg.type === "publish") {
      this.publishRef = this.socket.newId();
      msg = { ...msg, id: this.publishRef };
    }
    return this.socket.send(msg);
  }

  /** An action a screen waits for: resolves on `ok`, rejects with the mapped error. */
  private request(msg: ClientMessage): Promise<void> {
    const s = this.state.get();
    if (s.phase !== "live") return Promise.reject(new RoomActionError("not_in_room", "You're not in the room any more."));
    const id = this.socket.newId();
    if (!this.socket.send({ ...msg, id })) {
      return Promise.reject(new RoomActionError("offline", "You're offline. Reconnecting…"));
    }
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** A member's action: refused actions come back as `error` and show as a toast. */
  private action(msg: ClientMessage): string | null {
    const s = this.state.get();
    if (s.phase !== "live") return null;
    const id = this.socket.newId();
    if (!this.socket.send({ ...msg, id })) {
      toast("You're offline. Reconnecting…");
      return null;
    }
    return id;
  }

  private sendJoin(since?: number): void {
    const s = this.state.get();
    if (!s.roomId) return;
    this.joinRef = this.socket.newId();
    const msg: ClientMessage =
      since === undefined
        ? { type: "join", room: s.roomId, id: this.joinRef }
        : { type: "join", room: s.roomId, since, id: this.joinRef };
    this.socket.send(msg);
  }

  private onReady(resumed: boolean): void {
    const s = this.state.get();
    if (!s.roomId || (s.phase !== "joining" && s.phase !== "live")) return;
    if (this.linkPending) return; // the join follows once the room link is accepted
    if (resumed && s.synced) {
      this.checkPublishingAfterResume = true;
      this.patch({ resyncing: true });
      this.resyncAt = Date.now();
      this.sendJoin(s.synced.version);
      // Nothing may have changed while we were away: then no delta comes back.
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.settleResync(), RESYNC_RETRY_MS);
    } else {
      this.sendJoin();
    }
  }

  private onMessage(msg: ServerMessage): void {
    const s = this.state.get();
    switch (msg.type) {
      case "snapshot":
        this.onSnapshot(msg);
        return;
      case "delta":
        this.onDelta(msg.version, msg.changes);
        return;
      case "room_ended": {
        if (!this.isThisRoom(msg.room)) return;
        this.settlePending();
        this.end("room_ended", endedMessage(msg.reason), typeof msg.reason === "string" ? msg.reason : null);
        return;
      }
      case "removed":
        if (!this.isThisRoom(msg.room) || (s.phase !== "live" && s.phase !== "joining")) return;
        this.teardown();
        this.patch({
          phase: "removed",
          problem: { code: "removed_from_room", message: "A moderator removed you from this room." },
          resyncing: false,
          mediaDown: false,
        });
        return;
      case "audience_page":
        this.onAudiencePage(msg);
        return;
      case "error":
        this.onError(msg.code, msg.message, msg.ref);
        return;
      case "publish_answer":
        if (s.phase === "live" && typeof msg.sdp === "string") void this.media.handlePublishAnswer(msg.sdp);
        return;
      case "subscribe_offer":
        if ((s.phase === "live" || s.phase === "joining") && typeof msg.sdp === "string")
          this.media.handleSubscribeOffer(msg.sdp);
        return;
      case "media_status":
        if (msg.state === "down") {
          this.patch({ mediaDown: true });
        } else if (msg.state === "restarted") {
          this.media.restart();
          this.patch({ mediaDown: false });
          this.reconcile();
        }
        return;
      case "ok": {
        const waiting = msg.ref ? this.pending.get(msg.ref) : undefined;
        if (waiting) {
          this.pending.delete(msg.ref);
          waiting.resolve();
        }
        if (msg.ref && msg.ref === this.joinRef && s.resyncing) this.settleResync();
        return;
      }
      default:
        return; // welcome, pong and anything unknown
    }
  }

  private onSnapshot(msg: Extract<ServerMessage, { type: "snapshot" }>): void {
    const s = this.state.get();
    if (!s.roomId || (s.phase !== "joining" && s.phase !== "live")) return;
    if (!msg.room || msg.room.id !== s.roomId || !Array.isArray(msg.participants)) return;
    if (typeof msg.version !== "number") return;
    const fromSnapshot: Synced = {
      version: msg.version,
      room: msg.room,
      participants: msg.participants.filter((p) => typeof p?.user?.id === "string"),
      listeners: countOf(msg.listeners),
      settings: settingsOf(msg.settings),
    };
    const { synced, gap } = drain(fromSnapshot, this.buffer);
    const you = youId(msg.you) ?? s.youId ?? this.socket.user?.id ?? currentMe()?.id ?? null;
    const selfUser = this.userFor(you);
    this.patch({ phase: "live", synced, youId: you, selfUser, problem: null, resyncing: gap });
    if (msg.room.ended) {
      this.end("room_ended", "This room has ended.");
      return;
    }
    if (gap) this.requestResync();
    this.reconcile();
  }

  private onDelta(version: number, changes: Change[]): void {
    const s = this.state.get();
    if (!s.roomId || (s.phase !== "joining" && s.phase !== "live")) return;
    if (typeof version !== "number" || !Array.isArray(changes)) return;
    if (s.synced && version <= s.synced.version) return; // already applied
    this.buffer.set(version, changes);
    if (!s.synced) return; // wait for the snapshot
    const before = visibleSelf(s);
    const { synced, gap } = drain(s.synced, this.buffer);
    this.patch({ synced, resyncing: gap });
    if (gap) this.requestResync();
    else this.announceSelfChange(before, visibleSelf(this.state.get()));
    this.reconcile();
  }

  /** Tell the member what a moderator did to them (muted, promoted, moved). */
  private announceSelfChange(before: Participant | null, after: Participant | null): void {
    if (!before || !after) return;
    const s = this.state.get();
    if (onStage(after) && after.muted && !before.muted && s.pendingMute === null) {
      toast("A moderator muted you. Unmute when you're ready.", "info");
    }
    if (before.role !== "moderator" && after.role === "moderator") toast("You're a moderator now.", "info");
    if (before.role === "moderator" && after.role === "speaker") {
      if (!this.steppingDown) toast("You're no longer a moderator.", "info");
      this.steppingDown = false;
    }
    if (onStage(before) && !onStage(after)) toast("You're in the audience now.", "info");
  }

  private onAudiencePage(msg: Extract<ServerMessage, { type: "audience_page" }>): void {
    const s = this.state.get();
    if (!msg.ref || msg.ref !== this.audienceRef || s.phase !== "live") return;
    this.audienceRef = null;
    const page = Array.isArray(msg.listeners) ? msg.listeners.filter((u) => typeof u?.id === "string") : [];
    const kept = this.audienceReset ? [] : s.audience.items;
    const seen = new Set(kept.map((u) => u.id));
    const items = [...kept, ...page.filter((u) => !seen.has(u.id))];
    const next = typeof msg.next === "string" && msg.next ? msg.next : null;
    this.patch({ audience: { opened: true, items, next, loading: false, error: null } });
  }

  private isThisRoom(room: unknown): boolean {
    const s = this.state.get();
    const id = typeof room === "string" ? room : (room as { id?: unknown } | null)?.id;
    return !!s.roomId && (typeof id !== "string" || id === s.roomId);
  }

  private userFor(id: string | null): User | null {
    if (!id) return null;
    const fromSocket = this.socket.user;
    if (fromSocket?.id === id) return fromSocket;
    const signedIn = currentMe();
    if (signedIn?.id === id) return signedIn;
    return this.state.get().synced?.participants.find((p) => p.user.id === id)?.user ?? null;
  }

  /** The resume is acknowledged (or timed out): caught up unless deltas are still missing. */
  private settleResync(): void {
    clearTimeout(this.settleTimer);
    const s = this.state.get();
    if (!s.resyncing || s.phase !== "live") return;
    if (this.buffer.size === 0) {
      this.patch({ resyncing: false });
      this.reconcile();
    } else {
      this.requestResync();
    }
  }

  /** A delta arrived out of order: ask for what we missed (join with since). */
  private requestResync(): void {
    const s = this.state.get();
    if (!s.synced) return;
    const now = Date.now();
    if (now - this.resyncAt < RESYNC_RETRY_MS) return;
    this.resyncAt = now;
    this.sendJoin(s.synced.version);
    setTimeout(() => {
      const again = this.state.get();
      if (again.resyncing && again.phase === "live") this.requestResync();
    }, RESYNC_RETRY_MS + 100);
  }

  private onError(code: string, message: string, ref: string | undefined): void {
    const s = this.state.get();
    const text = roomErrorMessage(code, typeof message === "string" ? message : undefined);
    const waiting = ref ? this.pending.get(ref) : undefined;
    if (ref && waiting) {
      this.pending.delete(ref);
      waiting.reject(new RoomActionError(code, text));
      return;
    }
    if (ref && ref === this.audienceRef) {
      this.audienceRef = null;
      if (code === "bad_cursor") {
        this.patch({ audience: { ...s.audience, items: [], next: null, loading: false } });
        this.loadAudience(false);
      } else {
        this.patch({ audience: { ...s.audience, loading: false, error: text } });
      }
      return;
    }
    if (ref && ref === this.joinRef) {
      if (code === "already_in_room" && s.synced) return; // a resume the server didn't need
      if (
        !s.synced ||
        code === "room_not_found" ||
        code === "room_ended" ||
        code === "room_forbidden" ||
        code === "removed_from_room" ||
        code === "blocked"
      ) {
        // A room that vanished while we were reconnecting has ended.
        if (code === "room_ended" || (s.synced && code === "room_not_found")) this.end("room_ended", "This room has ended.");
        else this.fail(code, text);
        return;
      }
    }
    if (code === "joined_elsewhere" && (s.phase === "live" || s.phase === "joining")) {
      this.fail(code, text);
      return;
    }
    if (ref && ref === this.publishRef) {
      this.media.publishRefused(text);
      return;
    }
    if (ref && ref === this.muteRef) {
      this.muteRef = null;
      this.patch({ pendingMute: null });
      this.reconcile();
    }
    if (s.phase !== "live" && s.phase !== "joining") return; // left already; nothing to tell
    if (code === "not_in_room" && s.phase === "live") {
      // The server no longer has us in the room (e.g. after a long disconnection): join afresh.
      this.buffer.clear();
      this.patch({ synced: null, phase: "joining" });
      this.sendJoin();
      return;
    }
    toast(text);
  }

  /** Derive side effects (microphone, publishing) from the state. */
  private reconcile(): void {
    const s = this.state.get();
    if (s.phase !== "live") return;
    const self = me(s);

    if (self && !self.invited && s.inviteDismissed) this.patch({ inviteDismissed: false });
    let muted = self?.muted ?? false;
    if (s.pendingMute !== null) {
      if (!self || self.muted === s.pendingMute || !onStage(self)) this.patch({ pendingMute: null });
      else muted = s.pendingMute;
    }

    if (s.resyncing) return;
    if (onStage(self)) {
      if (this.checkPublishingAfterResume) {
        this.checkPublishingAfterResume = false;
        // The server dropped our publisher while we were away: publish again.
        if (!self!.publishing && (this.media.publishState === "live" || this.media.publishState === "offered")) {
          this.media.resetPublishing();
        }
      }
      this.media.setMuted(muted);
      if (!s.mediaDown && this.media.publishState === "off") this.media.startPublishing(muted);
    } else {
      this.checkPublishingAfterResume = false;
      if (this.media.publishState !== "off") this.media.stopPublishing();
    }
  }

  private syncMediaState(): void {
    this.patch({
      publishState: this.media.publishState,
      micError: this.media.micError,
      audioBlocked: this.media.audioBlocked,
      receivingStreams: this.media.audioStreams().length,
    });
  }

  private teardown(): void {
    clearTimeout(this.settleTimer);
    this.linkPending = false;
    this.buffer.clear();
    this.settlePending();
    this.audienceRef = null;
    this.joinRef = null;
    this.publishRef = null;
    this.muteRef = null;
    this.checkPublishingAfterResume = false;
    this.media.closeAll();
  }

  /** Actions still waiting for an answer will never get one (the room is over). */
  private settlePending(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.resolve();
  }

  private end(code: string, message: string, reason: string | null = null): void {
    this.teardown();
    this.patch({ phase: "ended", problem: { code, message, reason }, resyncing: false, mediaDown: false });
  }

  private fail(code: string, message: string): void {
    this.teardown();
    this.patch({ phase: "failed", problem: { code, message }, resyncing: false });
  }

  /** A plain-JSON view for tests (window.teahouse.state()). */
  testView(): unknown {
    const s = this.state.get();
    return {
      roomId: s.roomId,
      phase: s.phase,
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
      resyncing: s.resyncing,
      mediaDown: s.mediaDown,
      publishState: s.publishState,
      micError: s.micError,
      audioBlocked: s.audioBlocked,
      receivingStreams: s.receivingStreams,
      problem: s.problem,
    };
  }
}

export const roomController = new RoomController();

declare global {
  interface Window {
    teahouse: {
      audioStreams: () => MediaStream[];
      state: () => unknown;
      socketStatus: () => SocketStatus;
      notifications: () => { unread: number; items: { id: string; kind: string; read: boolean; text: string }[] };
    };
  }
}

window.teahouse = {
  audioStreams: () => roomController.media.audioStreams(),
  state: () => roomController.testView(),
  socketStatus: () => roomController.socket.status,
  notifications: () => {
    const s = notificationsStore.get();
    return { unread: s.unread, items: s.items.map(({ id, kind, read, text }) => ({ id, kind, read, text })) };
  },
};
