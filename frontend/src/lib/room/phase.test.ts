import { describe, expect, it } from "vitest";
import { derivePhase, isActive, phaseLabel, type PhaseInputs } from "./phase";

const base: PhaseInputs = { roomId: "r", outcome: null, presentingLink: false, synced: false, resyncing: false };
const over = (name: "ended" | "removed" | "failed") => ({ name, problem: { code: "c", message: "m" } });

describe("the room phase is derived from what the controller knows", () => {
  it.each<[string, Partial<PhaseInputs>, string]>([
    ["no room", { roomId: null, outcome: over("ended"), synced: true }, "idle"],
    ["waiting for the snapshot", {}, "joining"],
    ["presenting a room link", { presentingLink: true }, "joining (room link)"],
    ["synced", { synced: true }, "live"],
    ["catching up", { synced: true, resyncing: true }, "live (resyncing)"],
    ["ended, even while synced", { synced: true, resyncing: true, outcome: over("ended") }, "ended (c)"],
    ["removed", { synced: true, outcome: over("removed") }, "removed (c)"],
    ["failed before any snapshot", { outcome: over("failed") }, "failed (c)"],
  ])("%s", (_name, inputs, label) => {
    expect(phaseLabel(derivePhase({ ...base, ...inputs }))).toBe(label);
  });

  it("only joining and live rooms are active", () => {
    expect(isActive(derivePhase(base))).toBe(true);
    expect(isActive(derivePhase({ ...base, synced: true }))).toBe(true);
    expect(isActive(derivePhase({ ...base, outcome: over("removed") }))).toBe(false);
    expect(isActive(derivePhase({ ...base, roomId: null }))).toBe(false);
  });

  it("an ended phase carries its problem", () => {
    const phase = derivePhase({ ...base, outcome: { name: "ended", problem: { code: "room_ended", message: "Bye.", reason: "no_moderator" } } });
    expect(phase).toEqual({ name: "ended", roomId: "r", problem: { code: "room_ended", message: "Bye.", reason: "no_moderator" } });
  });
});
