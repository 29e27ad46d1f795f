import type { ClientMessage, Participant } from "../protocol";
import { Media } from "./media";
import type { RequestTracker } from "./requests";
import { onStage } from "./synced";
import { ROOM_TEXTS } from "./texts";

/**
 * The room's media: the signalling messages (publish offers and answers, subscribe
 * offers, the media server's status) and the microphone, which follows the member's
 * place in the room. On stage it is published (muted or not); off stage it is closed
 * and released. `follow` is called after every change of state and only acts when
 * what the media does differs from what it should.
 */
export class StageMedia {
  readonly media: Media;
  /** The media server is down (`media_status`): publishing waits for it. */
  down = false;
  /** A mute/unmute sent and not yet confirmed by a delta. */
  pendingMute: boolean | null = null;
  /** After a resume: once caught up, check that the server still has our publisher. */
  private verifyPublishing = false;

  constructor(
    private readonly send: (msg: ClientMessage) => boolean,
    private readonly requests: RequestTracker,
    changed: () => void,
    report: (message: string) => void,
  ) {
    this.media = new Media((msg) => this.signal(msg), changed, report);
  }

  /** `media_status`; true when the media restarted (the owner follows the state again). */
  status(state: unknown): boolean {
    if (state === "down") {
      this.down = true;
    } else if (state === "restarted") {
      this.media.restart();
      this.down = false;
      return true;
    }
    return false;
  }

  /** What the room screen shows of the media. */
  view() {
    const media = this.media;
    return {
      mediaDown: this.down,
      publishState: media.publishState,
      micError: media.micError,
      audioBlocked: media.audioBlocked,
      receivingStreams: media.audioStreams().length,
      pendingMute: this.pendingMute,
    };
  }

  /** We sent `mute` (request `id`): act on the microphone at once, the delta confirms it. */
  muting(id: string, muted: boolean): void {
    this.requests.expect("mute", id);
    this.media.setMuted(muted);
    this.pendingMute = muted;
  }

  /** An `error`: true when it refused our latest mute (the flag goes back to the server's). */
  muteRefused(ref: string | undefined): boolean {
    if (!this.requests.answers(ref, "mute")) return false;
    this.requests.forget("mute");
    this.pendingMute = null;
    return true;
  }

  /** "Try again" after the microphone failed. */
  retry(self: Participant | null): void {
    if (self && onStage(self)) this.media.startPublishing(self.muted);
  }

  /** An `error`: true when it refused our latest publish. */
  refused(ref: string | undefined, text: string): boolean {
    if (!this.requests.answers(ref, "publish")) return false;
    this.media.publishRefused(text);
    return true;
  }

  /** We reconnected and asked to resume. */
  resumed(): void {
    this.verifyPublishing = true;
  }

  /** The room view is over: close everything (the media server's status is forgotten unless `keepDown`). */
  stop(keepDown = true): void {
    this.verifyPublishing = false;
    this.media.closeAll();
    if (!keepDown) this.down = false;
  }

  private signal(msg: ClientMessage): boolean {
    if (msg.type === "publish") {
      const id = this.requests.id();
      this.requests.expect("publish", id);
      msg = { ...msg, id };
    }
    return this.send(msg);
  }

  /** Make the media match `self` (ourselves); while `resyncing` only the mute flag settles. */
  follow(self: Participant | null, resyncing: boolean): void {
    let muted = self?.muted ?? false;
    if (this.pendingMute !== null) {
      if (!self || self.muted === this.pendingMute || !onStage(self)) this.pendingMute = null;
      else muted = this.pendingMute;
    }
    if (resyncing) return;
    const media = this.media;
    if (self && onStage(self)) {
      if (this.verifyPublishing) {
        this.verifyPublishing = false;
        // The server dropped our publisher while we were away: publish again.
        if (!self.publishing && (media.publishState === "live" || media.publishState === "offered")) media.resetPublishing();
      }
      media.setMuted(muted);
      if (!this.down && media.publishState === "off") media.startPublishing(muted);
    } else {
      this.verifyPublishing = false;
      if (media.publishState !== "off") media.stopPublishing();
    }
  }
}

/**
 * What to tell the member when a delta changed their own entry (a moderator muted,
 * promoted or moved them). `steppingDown`: they asked to stop being a moderator
 * themselves, so losing the role needs no notice; `mutePending`: they muted themselves.
 */
export function selfChangeNotices(
  before: Participant | null,
  after: Participant | null,
  { steppingDown, mutePending }: { steppingDown: boolean; mutePending: boolean },
): string[] {
  if (!before || !after) return [];
  const notices: string[] = [];
  // Arriving on the stage muted is not a moderator's doing: the stage prompt says it.
  if (onStage(before) && onStage(after) && after.muted && !before.muted && !mutePending) {
    notices.push(ROOM_TEXTS.mutedByModerator);
  }
  if (before.role !== "moderator" && after.role === "moderator") notices.push(ROOM_TEXTS.nowModerator);
  if (before.role === "moderator" && after.role === "speaker" && !steppingDown) notices.push(ROOM_TEXTS.noLongerModerator);
  if (onStage(before) && !onStage(after)) notices.push(ROOM_TEXTS.nowInAudience);
  return notices;
}

/**
 * Whether the "you're on stage: unmute to talk" prompt shows after a change of our own
 * entry (`before` null: we just joined or resynced). Everyone arrives on the stage muted
 * except whoever opened the room, so the prompt appears on arriving muted and stays until
 * the first unmute or leaving the stage; a later mute (ours or a moderator's) does not
 * bring it back.
 */
export function stagePrompt(before: Participant | null, after: Participant | null, shown: boolean): boolean {
  if (!after || !onStage(after) || !after.muted) return false;
  return shown || !before || !onStage(before);
}
