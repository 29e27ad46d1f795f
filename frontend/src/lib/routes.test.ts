import { describe, expect, it } from "vitest";
import { clubHref, eventHref, isPublic, loginRedirect, match, profileHref, resolveRoute, roomHref, safeNext, type Route } from "./routes";

describe("every address is one screen", () => {
  it.each<[string, string, Route]>([
    ["/invite", "", { name: "invite" }],
    ["/reset", "", { name: "reset" }],
    ["/reset/", "", { name: "reset" }],
    ["/login", "?next=%2Froom%2Fr1", { name: "login", next: "/room/r1" }],
    ["/login", "", { name: "login", next: "/" }],
    ["/", "", { name: "hallway" }],
    ["/invites", "", { name: "invites" }],
    ["/notifications/", "", { name: "notifications" }],
    ["/search", "?q=tea%20time", { name: "search", q: "tea time" }],
    ["/search", "", { name: "search", q: "" }],
    ["/settings", "", { name: "settings" }],
    ["/admin", "?tab=reports", { name: "admin", tab: "reports" }],
    ["/admin", "", { name: "admin", tab: null }],
    ["/clubs", "?new=1", { name: "clubs", create: true }],
    ["/clubs", "?new=yes", { name: "clubs", create: false }],
    ["/events/new", "?club=c1", { name: "new-event", clubId: "c1" }],
    ["/room/r%2F1", "", { name: "room", roomId: "r/1" }],
    ["/u/ada", "", { name: "profile", username: "ada" }],
    ["/u/ada/", "", { name: "profile", username: "ada" }],
    ["/u/ada/followers", "", { name: "follow-list", username: "ada", which: "followers" }],
    ["/u/ada/following", "", { name: "follow-list", username: "ada", which: "following" }],
    ["/u/ada/friends", "", { name: "not-found" }],
    ["/c/c1", "", { name: "club", clubId: "c1" }],
    ["/event/e1", "", { name: "event", eventId: "e1" }],
    ["/room/%E0%A4%A", "", { name: "not-found" }], // not valid percent-encoding
    ["/room", "", { name: "not-found" }],
    ["/room/r1/extra", "", { name: "not-found" }],
    ["/nowhere", "", { name: "not-found" }],
  ])("%s%s", (path, search, route) => {
    expect(resolveRoute(path, search)).toEqual(route);
  });
});

describe("public screens", () => {
  it("a reset link opens without a session, like an invitation", () => {
    expect(isPublic(resolveRoute("/reset", ""))).toBe(true);
    expect(isPublic(resolveRoute("/invite", ""))).toBe(true);
    expect(isPublic(resolveRoute("/settings", ""))).toBe(false);
  });
});

describe("logging in and back", () => {
  it.each([
    ["/", "", "", "/login"],
    ["/u/ada", "?x=1", "#top", "/login?next=%2Fu%2Fada%3Fx%3D1"],
    // A room link's code lives in the fragment and must survive logging in.
    ["/room/r1", "", "#link=abc", "/login?next=%2Froom%2Fr1%23link%3Dabc"],
  ])("a signed-out visit to %s%s%s goes to %s", (path, search, hash, to) => {
    expect(loginRedirect(path, search, hash)).toBe(to);
  });

  it.each([
    ["/room/r1#link=abc", "/room/r1#link=abc"],
    ["/", "/"],
    ["//evil.example/x", "/"],
    ["https://evil.example/", "/"],
    ["/login?next=/", "/"],
  ])("after logging in, %s leads to %s", (next, to) => {
    expect(safeNext(next)).toBe(to);
  });
});

describe("addresses", () => {
  it("parameters are matched whole and decoded", () => {
    expect(match("/u/:username/:list", "/u/ada%20b/followers")).toEqual({ username: "ada b", list: "followers" });
    expect(match("/u/:username", "/c/ada")).toBeNull();
  });

  it("links encode what they hold", () => {
    expect(profileHref("a/b")).toBe("/u/a%2Fb");
    expect(clubHref("c 1")).toBe("/c/c%201");
    expect(eventHref("e?1")).toBe("/event/e%3F1");
    expect(roomHref("r#1")).toBe("/room/r%231");
  });
});
