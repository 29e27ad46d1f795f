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
  join_request_id: null,
  text: "Ada followed you",
};
const ada = { id: "u1", username: "ada", display_name: "Ada L", avatar_url: null };
const club = { id: "c1", name: "Night Owls" };

describe("what a notification says", () => {
  it("a report is worded from its reason, never from the server's text", () => {
    const n = { ...base, kind: "report_filed", report: { id: "r1", reason: "self_harm" }, text: "anything" };
    expect(notificationText(n, "")).toBe("New report: Self-harm");
    expect(notificationText({ ...n, report: { id: "r1", reason: "unheard_of" } }, "")).toBe("New report: Something else");
    expect(notificationText({ ...n, report: null }, "")).toBe("New report");
  });
  it("requests to join a club are worded from who and which club, never the server's text", () => {
    const asked = { ...base, kind: "club_request", actor: ada, club, join_request_id: "r1", state: "open" as const, text: "x" };
    expect(notificationText(asked, "")).toBe("Ada L asked to join Night Owls");
    expect(notificationText({ ...asked, actor: null, club: null }, "")).toBe("Someone asked to join a club");
    expect(notificationText({ ...asked, kind: "club_request_accepted", state: null }, "")).toBe("You're now a member of Night Owls");
    expect(notificationText({ ...asked, kind: "club_request_declined", state: null }, "")).toBe(
      "Your request to join Night Owls was declined",
    );
  });
  it("the other kinds keep the server's text, or the fallback", () => {
    expect(notificationText(base, "x")).toBe("Ada followed you");
    expect(notificationText({ ...base, text: "" }, "Something happened.")).toBe("Something happened.");
  });
});
