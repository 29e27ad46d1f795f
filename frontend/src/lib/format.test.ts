import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditEntry, UserCard } from "./api-types";
import { auditEntries, auditText, describeRoomAction } from "./audit";
import {
  compactCount,
  formatDate,
  formatLongDay,
  formatTimeIn,
  formatWhen,
  hostZoneNote,
  listeningText,
  localInputValue,
  plural,
  relative,
  weeklyText,
} from "./format";
import { endedMessage, joinRefusal, roomErrorMessage } from "./room/errors";

// vitest.config.ts gives the tests en-US and Europe/Berlin as the viewer's locale and zone.
// "Now" is Tuesday 24 November 2026, 12:00 in Berlin.
const NOW = new Date("2026-11-24T11:00:00Z");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("counts", () => {
  it.each([
    [0, "No one listening yet"],
    [1, "1 listening"],
    [1204, "1,204 listening"],
  ])("%i people in the audience: %s", (n, text) => {
    expect(listeningText(n)).toBe(text);
  });

  it.each<[unknown, string]>([
    [0, "0"],
    [999, "999"],
    [1200, "1.2K"],
    [15_000_000, "15M"],
    [Number.NaN, "0"],
    ["12", "0"],
  ])("compactCount(%s) is %s", (n, text) => {
    expect(compactCount(n)).toBe(text);
  });

  it("plural picks the word", () => {
    expect(plural(1, "member", "members")).toBe("1 member");
    expect(plural(0, "member", "members")).toBe("0 members");
    expect(plural(2, "person wants", "people want")).toBe("2 people want");
  });
});

describe("times, in the viewer's zone", () => {
  it.each([
    ["2026-11-24T18:00:00Z", "Today, 7:00 PM"],
    ["2026-11-25T08:30:00Z", "Tomorrow, 9:30 AM"],
    ["2026-11-28T18:00:00Z", "Sat, Nov 28, 7:00 PM"],
    ["not a date", ""],
  ])("formatWhen(%s) is %s", (iso, text) => {
    expect(formatWhen(iso)).toBe(text);
  });

  it.each([
    ["2026-11-30T11:00:00Z", "in 6 days"],
    ["2026-11-24T14:00:00Z", "in 3 hours"],
    ["2026-11-24T10:55:00Z", "5 minutes ago"],
    ["2026-11-24T11:00:30Z", "in 30 seconds"],
    ["2026-11-22T11:00:00Z", "2 days ago"],
    ["garbage", ""],
  ])("relative(%s) is %s", (iso, text) => {
    expect(relative(iso)).toBe(text);
  });

  it("dates, long and short", () => {
    expect(formatDate("2026-11-24T11:00:00Z")).toBe("November 24, 2026");
    expect(formatLongDay("2026-11-24T23:30:00Z")).toBe("Wednesday, November 25, 2026"); // already the 25th in Berlin
    expect(formatDate("")).toBe("");
  });

  it("the host's clock, when their zone is not ours", () => {
    expect(formatTimeIn("2026-11-24T18:00:00Z", "America/New_York")).toBe("1:00 PM");
    expect(formatTimeIn("2026-11-24T18:00:00Z", "Not/AZone")).toBe("");
    expect(hostZoneNote("2026-11-24T18:00:00Z", "America/New_York")).toBe("(1:00 PM America/New York)");
    expect(hostZoneNote("2026-11-24T18:00:00Z", "Europe/Berlin")).toBe("");
    expect(hostZoneNote("2026-11-24T18:00:00Z", null)).toBe("");
  });

  it("a weekly event reads as its weekday and time on the host's clock", () => {
    // Mondays 19:00 in Berlin: 18:00Z in winter, 17:00Z in summer; the same words.
    expect(weeklyText("2026-11-23T18:00:00Z", "Europe/Berlin")).toBe("Every Monday at 7:00 PM");
    expect(weeklyText("2027-06-07T17:00:00Z", "Europe/Berlin")).toBe("Every Monday at 7:00 PM");
    expect(weeklyText("2026-11-24T00:00:00Z", "America/New_York")).toBe("Every Monday at 7:00 PM (America/New York time)");
    expect(weeklyText("nonsense", "Europe/Berlin")).toBe("");
    expect(weeklyText("2026-11-23T18:00:00Z", "Not/AZone")).toBe("");
  });

  it("a datetime-local value is the local wall clock", () => {
    expect(localInputValue(new Date("2026-03-05T08:07:00Z"))).toBe("2026-03-05T09:07");
  });
});

describe("room messages", () => {
  it("every code reads from the client table, never the server's sentence", () => {
    expect(roomErrorMessage("wrong_state")).toBe("That can't be done right now: the room changed meanwhile.");
    expect(roomErrorMessage("not_moderator")).toBe("Only moderators can do that.");
    expect(roomErrorMessage("new_code")).toBe("Something went wrong. Try again.");
  });

  it.each([
    ["no_moderator", "The room ended: the last moderator left."],
    ["ended_by_moderator", "A moderator ended the room."],
    ["ended_by_admin", "An admin of this Teahouse ended the room."],
    [undefined, "This room has ended."],
  ])("a room that ended with %s: %s", (reason, text) => {
    expect(endedMessage(reason)).toBe(text);
  });

  it.each<[string, boolean, ReturnType<typeof joinRefusal>]>([
    ["already_in_room", true, "ignore"],
    ["room_ended", true, "ended"],
    ["room_not_found", true, "ended"],
    ["room_not_found", false, "failed"],
    ["blocked", true, "failed"],
    ["hands_disabled", true, null],
    ["internal_error", false, "failed"],
  ])("a join refused with %s (synced: %s) means %s", (code, synced, outcome) => {
    expect(joinRefusal(code, synced)).toBe(outcome);
  });
});

describe("moderation logs", () => {
  const ada: UserCard = { id: "u1", username: "ada", display_name: "Ada", avatar_url: null };
  const bob: UserCard = { id: "u2", username: "bob", display_name: "Bob", avatar_url: null };
  const entry = (action: string, fields: Partial<AuditEntry> = {}): AuditEntry => ({
    id: "1",
    at: "2026-11-24T11:00:00Z",
    action,
    actor: ada,
    target: bob,
    room: null,
    detail: {},
    ...fields,
  });

  it.each<[AuditEntry, string]>([
    [entry("mute"), "Ada muted Bob"],
    [entry("remove_moderator", { target: ada }), "Ada stopped being a moderator"],
    [entry("remove_moderator"), "Ada removed Bob as a moderator"],
    [entry("set_hands", { target: null, detail: { enabled: false } }), "Ada turned hand-raising off"],
    [entry("end_room", { target: null }), "Ada ended the room"],
    [entry("set_description", { target: null, detail: { length: 42 } }), "Ada changed the room's description"],
    [entry("brand_new", { actor: null }), "Someone: brand new (Bob)"],
  ])("in a room: %s", (e, text) => {
    expect(describeRoomAction(e)).toBe(text);
  });

  it("for admins: who, what, whom, where and the details", () => {
    const e = entry("suspend", { room: { id: "r", title: "Tea" }, detail: { reason: "spam", via: "web" } });
    expect(auditText(e)).toBe("@ada: suspend @bob in “Tea” (reason: spam)");
    expect(auditText(entry("grant_admin", { actor: null, target: null, detail: { via: "cli" } }))).toBe(
      "The command line: grant admin",
    );
  });

  it("entries are checked as they arrive", () => {
    const checked = auditEntries([{ id: 7, action: "mute", actor: { username: "ada" }, target: "bob", detail: null }, null, "x"]);
    expect(checked).toEqual([
      {
        id: "7",
        at: "",
        action: "mute",
        actor: { id: "ada", username: "ada", display_name: "ada", avatar_url: null },
        target: null,
        room: null,
        detail: {},
      },
    ]);
    expect(auditEntries({ entries: [] })).toEqual([]);
  });
});
