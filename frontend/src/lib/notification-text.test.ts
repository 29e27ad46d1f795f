import { describe, expect, it } from "vitest";
import type { Notification } from "./api-types";
import { notificationText } from "./notification-text";

const base: Notification = {
  id: "n1",
  kind: "new_follower",
  created_at: "2026-12-07T03:00:00+00:00",
  read: false,
  actor: null,
  room: null,
  event: null,
  club: null,
  state: null,
  report: null,
  text: "Ada followed you",
};

describe("what a notification says", () => {
  it("a report is worded from its reason, never from the server's text", () => {
    const n = { ...base, kind: "report_filed", report: { id: "r1", reason: "self_harm" }, text: "anything" };
    expect(notificationText(n, "")).toBe("New report: Self-harm");
    expect(notificationText({ ...n, report: { id: "r1", reason: "unheard_of" } }, "")).toBe("New report: Something else");
    expect(notificationText({ ...n, report: null }, "")).toBe("New report");
  });
  it("the other kinds keep the server's text, or the fallback", () => {
    expect(notificationText(base, "x")).toBe("Ada followed you");
    expect(notificationText({ ...base, text: "" }, "Something happened.")).toBe("Something happened.");
  });
});
