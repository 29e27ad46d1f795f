// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { asNotification, notificationHref, roomEnded } from "./notifications";

const base = { id: "n1", created_at: "2026-12-07T10:00:00+00:00", read: false, actor: null, event: null, club: null, text: "" };

describe("a notification's state", () => {
  it("a ping into a room that has ended leads nowhere and says so", () => {
    const live = asNotification({ ...base, kind: "ping", room: { id: "r", title: "Tea" }, state: "live" })!;
    const ended = asNotification({ ...base, kind: "ping", room: { id: "r", title: "Tea" }, state: "ended" })!;
    expect([roomEnded(live), notificationHref(live)]).toEqual([false, "/room/r"]);
    expect([roomEnded(ended), notificationHref(ended)]).toEqual([true, null]);
  });

  it("a starting event whose room ended leads to the event", () => {
    const n = asNotification({ ...base, kind: "event_starting", room: { id: "r", title: "Tea" }, event: { id: "e", title: "Tea", starts_at: "" }, state: "ended" })!;
    expect(notificationHref(n)).toBe("/event/e");
  });

  it("a state the client doesn't know is no state", () => {
    expect(asNotification({ ...base, kind: "club_invite", room: null, state: "sideways" })!.state).toBeNull();
    expect(asNotification({ ...base, kind: "club_invite", room: null, state: "accepted" })!.state).toBe("accepted");
  });
});
