import type { User } from "../api-types";
import type { Participant } from "../protocol";
import { selfChangeNotices, stagePrompt } from "./stage";
import { findParticipant, selfParticipant, userWithId } from "./state";
import { youId, type Synced } from "./synced";

/**
 * What the room knows about the member themself: who they are, and the few flags about
 * their own place on the stage that decide what they are told. The controller holds
 * one and feeds it what arrives; each method is one moment of the room.
 */
export class SelfInRoom {
  youId: string | null = null;
  user: User | null = null;
  /** They turned down an invitation to speak: no banner until a new one. */
  inviteDismissed = false;
  /** They asked to stop being a moderator: no need to tell them when it happens. */
  steppingDown = false;
  /** They arrived on the stage muted and have not unmuted yet (stage.ts, `stagePrompt`). */
  stagePrompt = false;

  reset(): void {
    this.youId = null;
    this.user = null;
    this.inviteDismissed = false;
    this.steppingDown = false;
    this.stagePrompt = false;
  }

  /** A snapshot: who we are (`you`, else what we knew), and a fresh start for the prompt. */
  snapshot(you: unknown, known: (User | null | undefined)[], synced: Synced | null): void {
    this.youId = youId(you) ?? this.youId ?? known.find((u) => u)?.id ?? null;
    this.user = userWithId(this.youId, known, synced);
    this.stagePrompt = stagePrompt(null, this.visible(synced), this.stagePrompt);
  }

  /** A delta moved us from `before` to `after`: what a moderator did, for the member. */
  changed(before: Participant | null, after: Participant | null, mutePending: boolean): string[] {
    this.stagePrompt = stagePrompt(before, after, this.stagePrompt);
    const notices = selfChangeNotices(before, after, { steppingDown: this.steppingDown, mutePending });
    if (before?.role === "moderator" && after?.role === "speaker") this.steppingDown = false;
    return notices;
  }

  /** Whatever happened meanwhile (a resync, another device): the flags follow `self`. */
  follow(self: Participant | null): void {
    if (self && !self.invited && this.inviteDismissed) this.inviteDismissed = false;
    this.stagePrompt = stagePrompt(self, self, this.stagePrompt);
  }

  /** Ourselves if we are in the visible set (on the stage, or with a hand up). */
  visible(synced: Synced | null): Participant | null {
    return findParticipant(synced, this.youId);
  }

  /** Ourselves: in the visible set, or a plain listener. */
  participant(synced: Synced | null): Participant | null {
    return selfParticipant(synced, this.youId, this.user);
  }
}
