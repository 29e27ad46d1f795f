import { api } from "../api";
import { closeMessage } from "../error-messages";
import { CloseCode, type ClientMessage, type Participant, type ServerMessage, type SnapshotMessage } from "../protocol";
import { currentMe, signedOut } from "../session";
import { appSocket, type Socket, type SocketStatus } from "../socket";
import { Store } from "../store";
import { toast } from "../toast";
import { AudiencePager } from "./audience";
import { endedMessage, joinRefusal, linkProblem, refusedConnection, roomErrorMessage } from "./errors";
import type { Media } from "./media";
import { derivePhase, isActive, phaseLabel, type Outcome, type RoomPhase, type RoomProblem } from "./phase";
import { RequestTracker, RoomActionError } from "./requests";
import { SelfInRoom } from "./self";
import { IDLE_ROOM, isAboutRoom, type RoomState } from "./state";
import { StageMedia } from "./stage";
import { RoomSync } from "./sync";

/**
 * The one place room state lives. It joins a room and composes the layers below: the
 * protocol sync (snapshot, deltas, gaps, resume), the request tracker (ids and their
 * `ok`/`error` answers), the audience pager and the media. Its phase is derived from
 * them in one place (`emit`) and each change is logged; media side effects (publish,
 * unpublish, mute) are derived from the state in `reconcile`.
 */
export class RoomController {
  readonly state = new Store<RoomState>(IDLE_ROOM);
  readonly media: Media;
  private readonly stage: StageMedia;

  private readonly requests: RequestTracker;
  private readonly audience: AudiencePager;
  private sync: RoomSync | null = null;
  private phase: RoomPhase = { name: "idle" };

  private roomId: string | null = null;
  private outcome: Outcome | null = null;
  private presentingLink = false;
  private readonly me = new SelfInRoom();
  private connection: SocketStatus;
  /** Inside `batch`: emit once at the end, not at every step. */
  private batching = 0;

  constructor(readonly socket: Socket = appSocket) {
    this.connection = socket.status;
    this.requests = new RequestTracker(() => socket.newId());
    this.audience = new AudiencePager(this.requests, (msg) => socket.send(msg));
    this.stage = new StageMedia(
      (msg) => socket.send(msg),
      this.requests,
      () => this.emit(),
      (message) => toast(message),
    );
    this.media = this.stage.media;
    socket.onMessage((msg) => this.onMessage(msg));
    socket.onReady((resumed) => this.onReady(resumed));
    socket.onStatus((status) => this.onStatus(status));
  }

  // ---------- public actions ----------

  /**
   * Join a room. With `linkCode` (from a room link, `#link=<code>`), first present the
   * code (`POST /api/rooms/{id}/enter`), then join; `onLinkUsed` runs once it was sent.
   */
  enter(roomId: string, linkCode?: string, onLinkUsed?: () => void): void {
    if (this.roomId === roomId && isActive(this.phase)) return;
    this.batch(() => {
      if (this.roomId && this.roomId !== roomId) this.leave();
      this.reset();
      this.roomId = roomId;
      this.sync = this.newSync(roomId);
      this.presentingLink = !!linkCode;
    });
    this.socket.start();
    if (!linkCode) {
      if (this.socket.isOpen) this.join();
      return;
    }
    const stillPresenting = () => this.roomId === roomId && this.presentingLink && this.phase.name === "joining";
    api.enterRoom(roomId, linkCode).then(
      () => {
        onLinkUsed?.();
        if (!stillPresenting()) return;
        this.presentingLink = false;
        this.emit();
        if (this.socket.isOpen) this.join();
      },
      (err: unknown) => {
        onLinkUsed?.();
        if (stillPresenting()) this.finish("failed", linkProblem(err));
      },
    );
  }

  leave(): void {
    if (!this.roomId) return;
    if (isActive(this.phase)) this.socket.send({ type: "leave" });
    this.batch(() => this.reset());
  }

  /** Logging out: close the app's WebSocket too. */
  shutdown(): void {
    this.leave();
    this.socket.stop();
  }

  raiseHand = (raised: boolean): void => void this.act({ type: "hand", raised });
  inviteToSpeak = (userId: string): void => void this.act({ type: "invite_to_speak", user_id: userId });
  acceptSpeak = (): void => void this.act({ type: "accept_speak" });
  moveToAudience = (userId: string): void => void this.act({ type: "move_to_audience", user_id: userId });
  /** A moderator mutes someone on the stage; only they can unmute themselves. */
  muteOther = (userId: string): void => void this.act({ type: "mute", muted: true, user_id: userId });
  makeModerator = (userId: string): void => void this.act({ type: "make_moderator", user_id: userId });
  setHands = (enabled: boolean): void => void this.act({ type: "set_hands", enabled });

  declineSpeak(): void {
    this.me.inviteDismissed = true;
    this.emit();
    this.act({ type: "decline_speak" });
  }

  /** Take the moderator role from someone (or from yourself: step down). */
  removeModerator(userId: string): void {
    this.me.steppingDown = userId === this.me.youId;
    this.act({ type: "remove_moderator", user_id: userId });
  }

  removeFromRoom(userId: string): Promise<void> {
    return this.request({ type: "remove_from_room", user_id: userId }).then(() => {
      this.audience.without(userId);
      this.emit();
    });
  }

  endRoom = (): Promise<void> => this.request({ type: "end_room" });

  /** The first page of the audience (`more`: false) or the next one. */
  loadAudience(more = false): void {
    if (this.phase.name !== "live") return;
    this.audience.load(more);
    this.emit();
  }

  closeAudience(): void {
    this.audience.close();
    this.emit();
  }

  setMuted(muted: boolean): void {
    const id = this.act({ type: "mute", muted });
    if (!id) return;
    this.stage.muting(id, muted);
    this.emit();
  }

  /** "Try again" after the microphone failed. */
  retryAudio = (): void => this.stage.retry(this.self());
  /** "Tap to enable audio" (a user gesture). */
  unlockAudio = (): void => this.media.unlockAudio();

  // ---------- the phase, derived in one place ----------

  private derive(): RoomPhase {
    return derivePhase({
      roomId: this.roomId,
      outcome: this.outcome,
      presentingLink: this.presentingLink,
      synced: !!this.sync?.synced,
      resyncing: this.sync?.resyncing ?? false,
    });
  }

  /** Publish the state: the phase is derived, and a change of phase is logged. */
  private emit(): void {
    if (this.batching > 0) return;
    const phase = this.derive();
    const from = phaseLabel(this.phase);
    const to = phaseLabel(phase);
    if (from !== to) console.debug("teahouse: room phase %s -> %s", from, to);
    this.phase = phase;
    this.state.set({
      phase,
      roomId: this.roomId,
      synced: this.sync?.synced ?? null,
      youId: this.me.youId,
      selfUser: this.me.user,
      connection: this.connection,
      ...this.stage.view(),
      inviteDismissed: this.me.inviteDismissed,
      stagePrompt: this.me.stagePrompt,
      audience: this.audience.list,
    });
  }

  /** Several steps, one published state (and one logged transition). */
  private batch(steps: () => void): void {
    this.batching++;
    try {
      steps();
    } finally {
      this.batching--;
    }
    this.emit();
  }

  // ---------- sending ----------

  private newSync(roomId: string): RoomSync {
    return new RoomSync(roomId, {
      join: (since) => this.join(since),
      changed: () => {
        this.emit();
        this.reconcile();
      },
    });
  }

  private join(since?: number): void {
    if (!this.roomId) return;
    const id = this.requests.id();
    this.requests.expect("join", id);
    const msg: ClientMessage =
      since === undefined ? { type: "join", room: this.roomId, id } : { type: "join", room: this.roomId, since, id };
    this.socket.send(msg);
  }

  /** An action a screen waits for: resolves on `ok`, rejects with the mapped error. */
  private request(msg: ClientMessage): Promise<void> {
    if (this.phase.name !== "live") {
      return Promise.reject(new RoomActionError("not_in_room", "You're not in the room any more."));
    }
    const id = this.requests.id();
    if (!this.socket.send({ ...msg, id })) {
      return Promise.reject(new RoomActionError("offline", "You're offline. Reconnecting…"));
    }
    return this.requests.wait(id);
  }

  /** A member's action: refused actions come back as `error` and show as a toast. */
  private act(msg: ClientMessage): string | null {
    if (this.phase.name !== "live") return null;
    const id = this.requests.id();
    if (!this.socket.send({ ...msg, id })) {
      toast("You're offline. Reconnecting…");
      return null;
    }
    return id;
  }

  // ---------- receiving ----------

  private onStatus(status: SocketStatus): void {
    this.connection = status;
    if (status !== "refused") {
      this.emit();
    } else if (this.socket.closeCode === CloseCode.NotAuthenticated) {
      // No valid session any more: it expired, was revoked, or the account was suspended.
      this.batch(() => this.reset());
      signedOut(closeMessage(CloseCode.NotAuthenticated));
    } else {
      this.finish("failed", refusedConnection(this.socket.closeCode));
    }
  }

  private onReady(resumed: boolean): void {
    if (!this.sync || !isActive(this.phase)) return;
    if (this.presentingLink) return; // the join follows once the room link is accepted
    if (resumed && this.sync.synced) {
      this.stage.resumed();
      this.sync.resume();
      this.emit();
    } else {
      this.join();
    }
  }

  private onMessage(msg: ServerMessage): void {
    const live = this.phase.name === "live";
    switch (msg.type) {
      case "snapshot":
        this.onSnapshot(msg);
        return;
      case "delta":
        this.onDelta(msg.version, msg.changes);
        return;
      case "room_ended":
        if (!isAboutRoom(msg.room, this.roomId)) return;
        this.end(endedMessage(msg.reason), typeof msg.reason === "string" ? msg.reason : null);
        return;
      case "removed":
        if (!isAboutRoom(msg.room, this.roomId) || !isActive(this.phase)) return;
        this.finish("removed", { code: "removed_from_room", message: "A moderator removed you from this room." });
        return;
      case "audience_page":
        if (live && this.audience.page(msg)) this.emit();
        return;
      case "error":
        this.onError(msg.code, msg.ref); // the server's sentence is for developers
        return;
      case "publish_answer":
        if (live && typeof msg.sdp === "string") void this.media.handlePublishAnswer(msg.sdp);
        return;
      case "subscribe_offer":
        if (isActive(this.phase) && typeof msg.sdp === "string") this.media.handleSubscribeOffer(msg.sdp);
        return;
      case "media_status": {
        const restarted = this.stage.status(msg.state);
        this.emit();
        if (restarted) this.reconcile();
        return;
      }
      case "ok":
        this.requests.resolve(msg.ref);
        if (this.requests.answers(msg.ref, "join")) this.sync?.acknowledged();
        return;
      default:
        return; // welcome, pong and anything unknown
    }
  }

  private onSnapshot(msg: SnapshotMessage): void {
    const sync = this.sync;
    if (!sync || !isActive(this.phase) || sync.snapshot(msg) === "ignored") return;
    // A snapshot is a fresh start: on the stage and muted, the prompt shows.
    this.me.snapshot(msg.you, [this.socket.user, currentMe()], sync.synced);
    if (msg.room.ended) {
      this.end("This room has ended.");
      return;
    }
    this.emit();
    this.reconcile();
  }

  private onDelta(version: unknown, changes: unknown): void {
    const sync = this.sync;
    if (!sync || !isActive(this.phase)) return;
    const before = this.me.visible(sync.synced);
    const listeners = sync.synced?.listeners;
    const outcome = sync.delta(version, changes);
    if (outcome === "ignored") return;
    if (sync.synced?.listeners !== listeners) this.audience.refresh(); // people came or went
    if (outcome === "applied" && !sync.resyncing) {
      // Tell the member what a moderator did to them (muted, promoted, moved).
      const notices = this.me.changed(before, this.me.visible(sync.synced), this.stage.pendingMute !== null);
      for (const notice of notices) toast(notice, "info");
    }
    this.emit();
    this.reconcile();
  }

  private onError(code: string, ref: string | undefined): void {
    const text = roomErrorMessage(code);
    if (this.requests.reject(ref, new RoomActionError(code, text))) return;
    const audience = this.audience.failed(ref, code, text);
    if (audience !== "not-mine") {
      if (audience === "restart") this.loadAudience(false);
      this.emit();
      return;
    }
    const refusal = this.requests.answers(ref, "join") ? joinRefusal(code, !!this.sync?.synced) : null;
    if (refusal === "ended") this.end("This room has ended.");
    else if (refusal === "failed") this.finish("failed", { code, message: text });
    if (refusal) return;
    if (code === "joined_elsewhere" && isActive(this.phase)) {
      this.finish("failed", { code, message: text });
      return;
    }
    if (this.stage.refused(ref, text)) return;
    if (this.stage.muteRefused(ref)) {
      this.emit();
      this.reconcile();
    }
    if (!isActive(this.phase)) return; // left already; nothing to tell
    if (code === "not_in_room" && this.phase.name === "live" && this.roomId) {
      // The server no longer has us in the room (e.g. after a long disconnection): join afresh.
      this.sync?.stop();
      this.sync = this.newSync(this.roomId);
      this.emit();
      this.join();
      return;
    }
    toast(text);
  }

  // ---------- derived side effects ----------

  /** Derive side effects (microphone, publishing) from the state. */
  private reconcile(): void {
    const phase = this.derive();
    if (phase.name !== "live") return;
    const self = this.self();

    this.me.follow(self); // whatever happened meanwhile, no prompt once unmuted
    this.stage.follow(self, phase.resyncing);
    this.emit();
  }

  // ---------- endings ----------

  private end(message: string, reason: string | null = null): void {
    this.finish("ended", { code: "room_ended", message, reason });
  }

  private finish(name: Outcome["name"], problem: RoomProblem): void {
    if (!this.roomId) return;
    this.batch(() => {
      // A failed join keeps saying that the media server is down, if it is.
      this.teardown(name === "failed");
      this.outcome = { name, problem };
    });
  }

  /** Stop everything under way for the room; what was synced stays for the end screen. */
  private teardown(keepMediaDown = true): void {
    this.sync?.stop();
    this.presentingLink = false;
    this.requests.reset();
    this.stage.stop(keepMediaDown);
  }

  /** Back to no room at all. */
  private reset(): void {
    this.teardown(false);
    this.roomId = null;
    this.sync = null;
    this.outcome = null;
    this.me.reset();
    this.stage.pendingMute = null;
    this.audience.close();
  }

  /** Ourselves: in the visible set, or a plain listener. */
  private self(): Participant | null {
    return this.me.participant(this.sync?.synced ?? null);
  }
}

export const roomController = new RoomController();
