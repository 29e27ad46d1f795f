// What the room tells a member about their own place in it, in one table (like the
// error texts in errors.ts), so that a translation replaces strings in one place.

export const ROOM_TEXTS = {
  /** Shown (in a live region) from arriving on the stage muted until the first unmute. */
  stagePrompt: "You're on stage and muted. Unmute to talk.",
  stagePromptAction: "Unmute",
  mutedByModerator: "A moderator muted you. Unmute when you're ready.",
  nowModerator: "You're a moderator now.",
  noLongerModerator: "You're no longer a moderator.",
  nowInAudience: "You're in the audience now.",
  invitationNote: "You'll join the stage muted, and unmute when you're ready to talk.",
} as const;
