import { afterEach, describe, expect, it, vi } from "vitest";
import type { IceServers } from "../api-types";
import { IceConfig, RENEW_MARGIN_MS, relayOnlyPreference } from "./ice";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const turn = (username: string, expiresAt: string): IceServers => ({
  ice_servers: [{ urls: ["turns:turn.example.org:443?transport=tcp"], username, credential: `c-${username}` }],
  expires_at: expiresAt,
});

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("ICE configuration of new peer connections", () => {
  it("uses the server's TURN credential and fetches it only once while it is valid", async () => {
    const fetch = vi.fn(async () => turn("1767229200:a", "2026-01-01T01:00:00Z"));
    let now = T0;
    const ice = new IceConfig(fetch, () => false, () => now);
    const first = await ice.configuration();
    expect(first).toEqual({
      iceServers: [{ urls: ["turns:turn.example.org:443?transport=tcp"], username: "1767229200:a", credential: "c-1767229200:a" }],
    });
    now = T0 + 30 * 60_000;
    expect(await ice.configuration()).toEqual(first);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("asks again once the credential is about to expire", async () => {
    const answers = [turn("old", "2026-01-01T01:00:00Z"), turn("new", "2026-01-01T02:00:00Z")];
    const fetch = vi.fn(async () => answers.shift() as IceServers);
    let now = T0;
    const ice = new IceConfig(fetch, () => false, () => now);
    await ice.configuration();
    now = Date.parse("2026-01-01T01:00:00Z") - RENEW_MARGIN_MS;
    const renewed = await ice.configuration();
    expect(renewed.iceServers?.[0]?.username).toBe("new");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("shares one request between connections opened at the same time", async () => {
    const fetch = vi.fn(async () => turn("a", "2026-01-01T01:00:00Z"));
    const ice = new IceConfig(fetch, () => false, () => T0);
    await Promise.all([ice.configuration(), ice.configuration()]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("relay only: the browser offers relay candidates alone", async () => {
    const ice = new IceConfig(async () => turn("a", "2026-01-01T01:00:00Z"), () => true, () => T0);
    expect((await ice.configuration()).iceTransportPolicy).toBe("relay");
  });

  it("relay only without TURN configured still connects (no relay to insist on)", async () => {
    const fetch = vi.fn(async (): Promise<IceServers> => ({ ice_servers: [], expires_at: null }));
    const ice = new IceConfig(fetch, () => true, () => T0);
    expect(await ice.configuration()).toEqual({ iceServers: [] });
    await ice.configuration();
    expect(fetch).toHaveBeenCalledTimes(1); // no expiry: nothing to renew
  });

  it("connects without TURN when the list can't be fetched, and tries again next time", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const fetch = vi
      .fn<() => Promise<IceServers>>()
      .mockRejectedValueOnce(new Error("offline"))
      .mockResolvedValueOnce(turn("a", "2026-01-01T01:00:00Z"));
    const ice = new IceConfig(fetch, () => true, () => T0);
    expect(await ice.configuration()).toEqual({ iceServers: [] });
    expect((await ice.configuration()).iceTransportPolicy).toBe("relay");
  });
});

describe("the relay-only choice", () => {
  it("is off until the member turns it on, and is kept on the device", () => {
    const storage = memoryStorage();
    expect(relayOnlyPreference.get(storage)).toBe(false);
    relayOnlyPreference.set(true, storage);
    expect(relayOnlyPreference.get(storage)).toBe(true);
    relayOnlyPreference.set(false, storage);
    expect(relayOnlyPreference.get(storage)).toBe(false);
  });

  it("survives storage that refuses (private browsing)", () => {
    const refusing = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
      removeItem: () => undefined,
    };
    expect(relayOnlyPreference.get(refusing)).toBe(false);
    expect(() => relayOnlyPreference.set(true, refusing)).not.toThrow();
  });
});
