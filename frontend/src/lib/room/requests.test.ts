import { describe, expect, it } from "vitest";
import type { User } from "../api-types";
import type { AudiencePageMessage, ClientMessage } from "../protocol";
import { AudiencePager } from "./audience";
import { RequestTracker, RoomActionError } from "./requests";

function tracker(): RequestTracker {
  let n = 0;
  return new RequestTracker(() => `c${++n}`);
}

describe("request tracker", () => {
  it("only the latest request of a kind is answered", () => {
    const requests = tracker();
    const first = requests.id();
    requests.expect("join", first);
    const second = requests.id();
    requests.expect("join", second);
    expect(requests.answers(first, "join")).toBe(false);
    expect(requests.answers(second, "join")).toBe(true);
    expect(requests.answers(second, "mute")).toBe(false);
    expect(requests.answers(undefined, "join")).toBe(false);
    requests.forget("join");
    expect(requests.answers(second, "join")).toBe(false);
  });

  it("a screen waiting for an answer gets ok or the error", async () => {
    const requests = tracker();
    const ok = requests.wait("c1");
    const refused = requests.wait("c2");
    expect(requests.resolve("c1")).toBe(true);
    expect(requests.resolve("c1")).toBe(false); // answered once
    expect(requests.reject("c2", new RoomActionError("not_moderator", "Only moderators can do that."))).toBe(true);
    await expect(ok).resolves.toBeUndefined();
    await expect(refused).rejects.toMatchObject({ code: "not_moderator", message: "Only moderators can do that." });
    expect(requests.resolve("c9")).toBe(false);
  });

  it("when the room is over no one waits any more", async () => {
    const requests = tracker();
    requests.expect("publish", "c1");
    const waiting = requests.wait("c2");
    requests.reset();
    await expect(waiting).resolves.toBeUndefined();
    expect(requests.answers("c1", "publish")).toBe(false);
  });
});

describe("audience pager", () => {
  const user = (id: string): User => ({ id, username: id, display_name: id });
  function pager(online = true) {
    const sent: ClientMessage[] = [];
    const requests = tracker();
    const audience = new AudiencePager(requests, (msg) => {
      sent.push(msg);
      return online;
    });
    return { audience, sent };
  }
  const page = (ref: string, ids: string[], next: string | null): AudiencePageMessage => ({
    type: "audience_page",
    ref,
    listeners: ids.map(user),
    next,
    count: ids.length,
  });

  it("pages follow each other with the previous page's cursor", () => {
    const { audience, sent } = pager();
    audience.load(false);
    expect(sent).toEqual([{ type: "audience", limit: 50, id: "c1" }]);
    expect(audience.list).toMatchObject({ opened: true, loading: true });
    expect(audience.page(page("c1", ["a", "b"], "n1"))).toBe(true);
    audience.load(true);
    expect(sent[1]).toEqual({ type: "audience", after: "n1", limit: 50, id: "c2" });
    expect(audience.page(page("c1", ["z"], null))).toBe(false); // stale
    audience.page(page("c2", ["b", "c"], null));
    expect(audience.list).toEqual({ opened: true, items: ["a", "b", "c"].map(user), next: null, loading: false, error: null });
    audience.load(true); // no next page: nothing to ask
    expect(sent).toHaveLength(2);
  });

  it("a stale cursor starts again from the first page", () => {
    const { audience } = pager();
    audience.load(false);
    audience.page(page("c1", ["a"], "n1"));
    audience.load(true);
    expect(audience.failed("c2", "bad_cursor", "The audience list changed.")).toBe("restart");
    expect(audience.list.items).toEqual([]);
    expect(audience.failed("c2", "bad_cursor", "again")).toBe("not-mine");
  });

  it("offline, it says so and asks nothing", () => {
    const { audience } = pager(false);
    audience.load(false);
    expect(audience.list).toMatchObject({ opened: true, loading: false, error: "You're offline. Reconnecting…" });
  });
});
