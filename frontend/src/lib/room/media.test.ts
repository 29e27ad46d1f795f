// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ClientMessage } from "../protocol";
import { Media } from "./media";

/** Records the configuration each peer connection is made with; answers any offer. */
class FakePeerConnection {
  static made: RTCConfiguration[] = [];
  iceGatheringState = "complete";
  signalingState = "stable";
  remoteDescription: RTCSessionDescriptionInit | null = null;
  localDescription: RTCSessionDescriptionInit | null = null;
  ontrack: unknown = null;
  onconnectionstatechange: unknown = null;
  constructor(config: RTCConfiguration) {
    FakePeerConnection.made.push(config);
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.remoteDescription = d;
  }
  async createAnswer() {
    return { type: "answer", sdp: "v=0 answer" };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.localDescription = d;
  }
  addEventListener() {}
  removeEventListener() {}
  close() {}
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakePeerConnection.made = [];
});

describe("the room's audio connections", () => {
  it("are made with the ICE configuration of the moment, relay policy included", async () => {
    vi.stubGlobal("RTCPeerConnection", FakePeerConnection);
    const sent: ClientMessage[] = [];
    const relay: RTCConfiguration = {
      iceServers: [{ urls: ["turns:turn.example.org:443?transport=tcp"], username: "u", credential: "c" }],
      iceTransportPolicy: "relay",
    };
    const media = new Media(
      (msg) => (sent.push(msg), true),
      () => undefined,
      () => undefined,
      { configuration: async () => relay },
    );
    media.handleSubscribeOffer("v=0\r\na=ice-ufrag:abcd\r\n");
    await vi.waitFor(() => expect(sent).toEqual([{ type: "subscribe_answer", sdp: "v=0 answer" }]));
    expect(FakePeerConnection.made).toEqual([relay]);
  });
});
