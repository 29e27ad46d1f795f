import type { IceServers } from "../api-types";

/** Ask for a fresh credential when the one held expires within this margin: a
 * connection opened now must still authenticate at the TURN server a moment later. */
export const RENEW_MARGIN_MS = 60_000;
const RELAY_ONLY_KEY = "teahouse.relayOnly";

/**
 * The member's "relay only" choice, kept on this device: with it on (and TURN
 * configured) the browser offers the media server relay candidates only, so neither
 * the media server nor anyone else sees the device's own addresses.
 */
export const relayOnlyPreference = {
  get(storage: Pick<Storage, "getItem"> | null = safeStorage()): boolean {
    try {
      return storage?.getItem(RELAY_ONLY_KEY) === "1";
    } catch {
      return false;
    }
  },
  set(on: boolean, storage: Pick<Storage, "setItem" | "removeItem"> | null = safeStorage()): void {
    try {
      if (on) storage?.setItem(RELAY_ONLY_KEY, "1");
      else storage?.removeItem(RELAY_ONLY_KEY);
    } catch {
      // Storage refused (private mode, quota): the choice lasts as long as the page.
    }
  },
};

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * What each new RTCPeerConnection is made with: the instance's ICE servers
 * (`GET /api/ice-servers`), fetched when first needed and again once the credential
 * is about to expire, and the transport policy the member chose.
 */
export class IceConfig {
  private held: { servers: RTCIceServer[]; renewAt: number } | null = null;
  private pending: Promise<RTCIceServer[]> | null = null;

  constructor(
    private readonly fetchServers: () => Promise<IceServers>,
    private readonly relayOnly: () => boolean = () => relayOnlyPreference.get(),
    private readonly now: () => number = Date.now,
  ) {}

  async configuration(): Promise<RTCConfiguration> {
    const iceServers = await this.servers();
    // Relay only means nothing without a relay: with no TURN server the policy would
    // leave no candidate at all, so the member would hear nothing.
    if (this.relayOnly() && iceServers.length > 0) return { iceServers, iceTransportPolicy: "relay" };
    return { iceServers };
  }

  private servers(): Promise<RTCIceServer[]> {
    if (this.held && this.now() < this.held.renewAt) return Promise.resolve(this.held.servers);
    this.pending ??= this.fetchServers()
      .then((answer) => {
        const servers = toRtc(answer);
        const expiry = answer.expires_at ? Date.parse(answer.expires_at) : Number.POSITIVE_INFINITY;
        this.held = { servers, renewAt: expiry - RENEW_MARGIN_MS };
        return servers;
      })
      .catch((err: unknown) => {
        // Without the list the connection may still work directly; an old list is
        // no help (its credential has expired), so try without.
        console.warn("teahouse: couldn't fetch the ICE servers, connecting without TURN", err);
        return [];
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}

function toRtc(answer: IceServers): RTCIceServer[] {
  return (answer.ice_servers ?? []).map(({ urls, username, credential }) => ({ urls, username, credential }));
}
