import { Media, type PublishState } from "./media";
import { notificationsStore } from "./notifications";
import { drain, onStage, youId, type Synced } from "./roomstate";
import { currentMe, signedOut } from "./session";
import { appSocket, type SocketStatus } from "./socket";
import { Store } from "./store";
import { toast } from "./toast";
import type { Change, ClientMessage, Participant, ServerMessage } from "./types";

export type Phase = "idle" | "joining" | "live" | "ended" | "failed";

/** Everything the room screen shows, in one place; the view is derived from it. */
export interface RoomState {
  roomId: string | null;
  phase: Phase;
  synced: Synced | null;
  youId: string | null;
  /** Why the room failed to load or ended. */
  problem: { code: string; message: string } | null;
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
}

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
};

const RESYNC_RETRY_MS = 3000;
const GONE_GRACE_MS = 4000;

export function me(state: RoomState): Participant | null {
  if (!state.synced || !state.youId) return null;
  return state.synced.participants.find((p) => p.user.id === state.youId) ?? null;
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
  private checkPublishingAfterResume = false;
  private goneTimer: ReturnType<typeof setTimeout> | undefined;
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
          signedOut();
        } else {
          this.fail("origin_forbidden", "This page's address isn't allowed to connect to the server.");
        }
      }
    });
  }

  // ---------- public actions ----------

  enter(roomId: string): void {
    const s = this.state.get();
    if (s.roomId === roomId && (s.phase === "joining" || s.phase === "live")) return;
    if (s.roomId && s.roomId !== roomId) this.leave();
    this.buffer.clear();
    this.state.set({ ...initial, roomId, phase: "joining", connection: this.socket.status });
    this.socket.start();
    if (this.socket.isOpen) this.sendJoin();
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
        const id = typeof msg.room === "string" ? msg.room : (msg.room as { id?: unknown } | null)?.id;
        if (!s.roomId || (typeof id === "string" && id !== s.roomId)) return;
        this.end("room_ended", endedMessage(msg.reason));
        return;
      }
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
      case "ok":
        if (msg.ref && msg.ref === this.joinRef && s.resyncing) this.settleResync();
        return;
      default:
        return; // welcome, pong and anything unknown
    }
  }

  private onSnapshot(msg: Extract<ServerMessage, { type: "snapshot" }>): void {
    const s = this.state.get();
    if (!s.roomId || (s.phase !== "joining" && s.phase !== "live")) return;
    if (!msg.room || msg.room.id !== s.roomId || !Array.isArray(msg.participants)) return;
    if (typeof msg.version !== "number") return;
    const fromSnapshot: Synced = { version: msg.version, room: msg.room, participants: msg.participants };
    const { synced, gap } = drain(fromSnapshot, this.buffer);
    const you = youId(msg.you) ?? s.youId ?? this.socket.user?.id ?? currentMe()?.id ?? null;
    this.patch({ phase: "live", synced, youId: you, problem: null, resyncing: gap });
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
    const { synced, gap } = drain(s.synced, this.buffer);
    this.patch({ synced, resyncing: gap });
    if (gap) this.requestResync();
    this.reconcile();
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
    const text = typeof message === "string" && message ? message : "Something went wrong.";
    if (ref && ref === this.joinRef) {
      if (code === "already_in_room" && s.synced) return; // a resume the server didn't need
      if (!s.synced || code === "room_not_found" || code === "room_ended" || code === "room_forbidden") {
        // A room that vanished while we were reconnecting has ended.
        if (code === "room_ended" || (s.synced && code === "room_not_found")) this.end("room_ended", "This room has ended.");
        else this.fail(code, text);
        return;
      }
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

    clearTimeout(this.goneTimer);
    if (!self && !s.resyncing) {
      this.goneTimer = setTimeout(() => {
        const now = this.state.get();
        if (now.phase === "live" && !now.resyncing && !me(now)) this.end("removed", "You're no longer in this room.");
      }, GONE_GRACE_MS);
    }
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
    clearTimeout(this.goneTimer);
    clearTimeout(this.settleTimer);
    this.buffer.clear();
    this.joinRef = null;
    this.publishRef = null;
    this.muteRef = null;
    this.checkPublishingAfterResume = false;
    this.media.closeAll();
  }

  private end(code: string, message: string): void {
    this.teardown();
    this.patch({ phase: "ended", problem: { code, message }, resyncing: false, mediaDown: false });
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
      you: s.youId,
      me: me(s),
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

function endedMessage(reason: unknown): string {
  if (reason === "moderators_left" || reason === "last_moderator_left") return "The room ended: the moderators left.";
  return "This room has ended.";
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
