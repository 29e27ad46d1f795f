import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Change, Participant, SnapshotMessage } from "../protocol";
import { RESYNC_RETRY_MS, RoomSync } from "./sync";

// The client's protocol sync, as docs/PROTOCOL.md says (the same cases as the Python
// suite's tests/unit/test_room_view.py, plus the client's own resume and retry rules).

function person(uid: string, role: Participant["role"] = "listener", fields: Partial<Participant> = {}): Participant {
  return {
    user: { id: uid, username: uid, display_name: uid.toUpperCase() },
    role,
    hand_raised: false,
    invited: false,
    muted: false,
    speaking: false,
    publishing: false,
    ...fields,
  };
}

function snapshot(version = 5, participants: unknown = [person("ada", "moderator")], listeners: unknown = 3): SnapshotMessage {
  return {
    type: "snapshot",
    version,
    room: {
      id: "r",
      title: "Tea",
      description: "Oolong first",
      visibility: "open",
      created_by: person("ada").user,
      created_at: "2026-12-04T19:00:00Z",
      ended: false,
      demo: false,
    },
    participants: participants as Participant[],
    listeners: listeners as number,
    settings: { hands: true },
    you: "bob",
  };
}

/** The sync's host, recording every `join` it was asked to send (`since`, or "fresh"). */
class Host {
  joins: (number | "fresh")[] = [];
  changes = 0;
  join(since?: number): void {
    this.joins.push(since ?? "fresh");
  }
  changed(): void {
    this.changes++;
  }
}

function joined(): { sync: RoomSync; host: Host } {
  const host = new Host();
  const sync = new RoomSync("r", host);
  expect(sync.snapshot(snapshot())).toBe("applied");
  return { sync, host };
}

/** What a member sees: the version, who is in the visible set, the count and the settings. */
function seen(sync: RoomSync) {
  const s = sync.synced!;
  return {
    version: s.version,
    participants: Object.fromEntries(s.participants.map((p) => [p.user.username, p])),
    listeners: s.listeners,
    settings: s.settings,
    description: s.room.description,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("snapshot and deltas", () => {
  it("a snapshot replaces everything", () => {
    const { sync } = joined();
    sync.delta(6, [{ op: "upsert", participant: person("bob", "listener", { hand_raised: true }) }]);
    expect(sync.snapshot(snapshot(9, [person("cy", "moderator")], 7))).toBe("applied");
    expect(seen(sync)).toEqual({
      version: 9,
      participants: { cy: person("cy", "moderator") },
      listeners: 7,
      settings: { hands: true },
      description: "Oolong first",
    });
  });

  it.each<[string, Change, Partial<ReturnType<typeof seen>>]>([
    [
      "an upsert of someone new appends them",
      { op: "upsert", participant: person("bob", "listener", { invited: true }) },
      { participants: { ada: person("ada", "moderator"), bob: person("bob", "listener", { invited: true }) } },
    ],
    [
      "an upsert of someone known replaces them",
      { op: "upsert", participant: person("ada", "moderator", { muted: true }) },
      { participants: { ada: person("ada", "moderator", { muted: true }) } },
    ],
    ["a remove takes them out", { op: "remove", user_id: "ada" }, { participants: {} }],
    // A hand this client never saw (hidden by a block) is lowered: nothing to do.
    ["a remove of someone unseen changes nothing", { op: "remove", user_id: "zed" }, {}],
    ["listeners sets the count", { op: "listeners", count: 40 }, { listeners: 40 }],
    ["settings sets the switches", { op: "settings", settings: { hands: false } }, { settings: { hands: false } }],
    ["description replaces what the room says", { op: "description", description: "Green teas" }, { description: "Green teas" }],
    ["an empty description clears it", { op: "description", description: "" }, { description: "" }],
    // A malformed one is taken as none rather than shown as "undefined".
    ["a malformed description is none", { op: "description", description: 7 } as unknown as Change, { description: "" }],
  ])("%s", (_name, change, expected) => {
    const { sync } = joined();
    const before = seen(sync);
    expect(sync.delta(6, [change])).toBe("applied");
    expect(seen(sync)).toEqual({ ...before, ...expected, version: 6 });
  });

  it("an empty delta still moves the version", () => {
    const { sync } = joined();
    expect(sync.delta(6, [])).toBe("applied"); // a change hidden by a block
    expect(sync.synced!.version).toBe(6);
  });

  it("old news is ignored", () => {
    const { sync } = joined();
    sync.delta(6, [{ op: "listeners", count: 4 }]);
    expect(sync.delta(6, [{ op: "listeners", count: 99 }])).toBe("ignored");
    expect(sync.delta(2, [{ op: "remove", user_id: "ada" }])).toBe("ignored");
    expect(seen(sync).listeners).toBe(4);
    expect(seen(sync).participants).toHaveProperty("ada");
  });

  it("deltas that come before the snapshot wait for it", () => {
    const host = new Host();
    const sync = new RoomSync("r", host);
    expect(sync.delta(4, [{ op: "listeners", count: 4 }])).toBe("buffered");
    expect(sync.delta(6, [{ op: "listeners", count: 6 }])).toBe("buffered");
    expect(sync.synced).toBeNull();
    sync.snapshot(snapshot(5));
    // 4 is older than the snapshot and dropped; 6 follows it and is applied.
    expect(seen(sync)).toMatchObject({ version: 6, listeners: 6 });
    expect(sync.resyncing).toBe(false);
    expect(host.joins).toEqual([]);
  });
});

describe("gaps", () => {
  it("a gap asks once to resume, and the missing deltas fill it", () => {
    const { sync, host } = joined();
    expect(sync.delta(8, [{ op: "listeners", count: 8 }])).toBe("buffered");
    expect(seen(sync)).toMatchObject({ version: 5, listeners: 3 }); // nothing applied
    expect(sync.resyncing).toBe(true);
    expect(sync.delta(9, [{ op: "listeners", count: 9 }])).toBe("buffered");
    expect(host.joins).toEqual([5]);
    // The server answers `join` + `since: 5` with 6, 7 (8 and 9 are here already), then live deltas.
    expect(sync.delta(6, [{ op: "listeners", count: 6 }])).toBe("applied");
    expect(sync.delta(7, [{ op: "listeners", count: 7 }])).toBe("applied");
    expect(seen(sync)).toMatchObject({ version: 9, listeners: 9 });
    expect(sync.resyncing).toBe(false);
    expect(sync.delta(10, [])).toBe("applied");
    vi.advanceTimersByTime(10 * RESYNC_RETRY_MS);
    expect(host.joins).toEqual([5]); // closed gaps ask nothing more
  });

  it("a gap that stays open asks again every 3 s, not sooner", () => {
    const { sync, host } = joined();
    sync.delta(8, []);
    vi.advanceTimersByTime(RESYNC_RETRY_MS - 1);
    sync.delta(9, []); // another early delta does not ask again yet
    expect(host.joins).toEqual([5]);
    vi.advanceTimersByTime(200);
    expect(host.joins).toEqual([5, 5]);
    vi.advanceTimersByTime(RESYNC_RETRY_MS + 100);
    expect(host.joins).toEqual([5, 5, 5]);
  });

  it("a new gap soon after a closed one asks once the 3 s are up", () => {
    const { sync, host } = joined();
    sync.delta(7, []);
    sync.delta(6, []);
    expect(sync.resyncing).toBe(false);
    sync.delta(12, []);
    expect(host.joins).toEqual([5]);
    vi.advanceTimersByTime(RESYNC_RETRY_MS);
    expect(host.joins).toEqual([5, 7]);
  });

  it("a fresh snapshot fills a gap", () => {
    const { sync, host } = joined();
    sync.delta(700, []);
    expect(sync.snapshot(snapshot(701, [person("ada", "moderator")], 1))).toBe("applied");
    expect(seen(sync)).toMatchObject({ version: 701, listeners: 1 });
    expect(sync.resyncing).toBe(false);
    vi.advanceTimersByTime(10 * RESYNC_RETRY_MS);
    expect(host.joins).toEqual([5]);
  });
});

describe("resume after a reconnection", () => {
  it("asks for what was missed and settles on the server's ok", () => {
    const { sync, host } = joined();
    sync.resume();
    expect(host.joins).toEqual([5]);
    expect(sync.resyncing).toBe(true);
    sync.acknowledged(); // nothing happened while we were away
    expect(sync.resyncing).toBe(false);
    expect(host.changes).toBe(1);
  });

  it("replayed deltas catch up", () => {
    const { sync } = joined();
    sync.resume();
    expect(sync.delta(6, [{ op: "remove", user_id: "ada" }])).toBe("applied");
    expect(sync.resyncing).toBe(false);
    expect(seen(sync).participants).toEqual({});
  });

  it("settles by itself when the server never answers", () => {
    const { sync, host } = joined();
    sync.resume();
    vi.advanceTimersByTime(RESYNC_RETRY_MS);
    expect(sync.resyncing).toBe(false);
    expect(host.changes).toBe(1);
  });

  it("an ok with deltas still missing keeps asking", () => {
    const { sync, host } = joined();
    sync.resume();
    sync.delta(8, []);
    sync.acknowledged();
    expect(sync.resyncing).toBe(true);
    vi.advanceTimersByTime(RESYNC_RETRY_MS);
    expect(host.joins).toEqual([5, 5]);
    sync.delta(6, []);
    sync.delta(7, []);
    expect(sync.resyncing).toBe(false);
    expect(sync.synced!.version).toBe(8);
  });

  it("without a snapshot yet, it joins afresh", () => {
    const host = new Host();
    const sync = new RoomSync("r", host);
    sync.resume();
    expect(host.joins).toEqual(["fresh"]);
    expect(sync.resyncing).toBe(false);
  });

  it("asks nothing more once stopped, and keeps what it had", () => {
    const { sync, host } = joined();
    sync.resume();
    sync.delta(9, []);
    sync.stop();
    vi.advanceTimersByTime(10 * RESYNC_RETRY_MS);
    expect(host.joins).toEqual([5]);
    expect(sync.resyncing).toBe(false);
    expect(sync.synced!.version).toBe(5);
  });
});

describe("what does not fit is not applied", () => {
  it.each<[string, SnapshotMessage]>([
    ["a snapshot of another room", { ...snapshot(9), room: { ...snapshot().room, id: "other" } }],
    ["participants that are not a list", snapshot(9, { ada: person("ada") })],
    ["a version that is not a number", { ...snapshot(), version: "9" as unknown as number }],
  ])("%s is ignored", (_name, msg) => {
    const { sync } = joined();
    expect(sync.snapshot(msg)).toBe("ignored");
    expect(sync.synced!.version).toBe(5);
  });

  it("a delta whose changes are not a list is ignored", () => {
    const { sync } = joined();
    expect(sync.delta(6, { op: "remove", user_id: "ada" })).toBe("ignored");
    expect(sync.delta("6", [])).toBe("ignored");
    expect(sync.synced!.version).toBe(5);
  });

  it("fields are checked: no user, a bad count, bad settings", () => {
    const host = new Host();
    const sync = new RoomSync("r", host);
    sync.snapshot({ ...snapshot(5, [person("ada"), { role: "speaker" }], -3), settings: "on" as unknown as { hands: boolean } });
    expect(seen(sync)).toEqual({ version: 5, participants: { ada: person("ada") }, listeners: 0, settings: { hands: true }, description: "Oolong first" });
    // A malformed count keeps the one we had rather than showing 0.
    sync.delta(6, [{ op: "listeners", count: 12 }]);
    sync.delta(7, [{ op: "listeners", count: "many" as unknown as number }, null as unknown as Change]);
    expect(seen(sync)).toMatchObject({ version: 7, listeners: 12 });
  });
});
