import { api } from "../api";
import type { ClientMessage } from "../protocol";
import { IceConfig } from "./ice";

export type PublishState = "off" | "starting" | "offered" | "live" | "failed";

const ICE_GATHER_CAP_MS = 3000;
const MIC_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: false,
};

export const MIC_ENDED = "Your microphone stopped: it was unplugged, or its permission was taken back. Tap the microphone to turn it on again.";

/** Resolve once ICE gathering is complete (no trickle ICE), or after the cap. */
export function iceGatheringComplete(pc: RTCPeerConnection, capMs = ICE_GATHER_CAP_MS): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      pc.removeEventListener("icecandidate", onCandidate);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === "complete") done();
    };
    const onCandidate = (e: RTCPeerConnectionIceEvent) => {
      if (!e.candidate) done();
    };
    const timer = setTimeout(done, capMs);
    pc.addEventListener("icegatheringstatechange", check);
    pc.addEventListener("icecandidate", onCandidate);
  });
}

function micErrorMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "Microphone access is blocked. Allow it in your browser to speak.";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No microphone found.";
  if (name === "NotReadableError") return "Your microphone is busy in another app.";
  return "Couldn't start your microphone.";
}

/** One for the page: every connection shares the credential until it is due for renewal. */
const appIce = new IceConfig(() => api.iceServers());

/**
 * The two PeerConnections of a room session: one to publish the microphone (on
 * stage), one to receive the stage (offers come from the server). Owns the
 * <audio> elements the received audio plays through.
 */
export class Media {
  publishState: PublishState = "off";
  micError: string | null = null;
  audioBlocked = false;

  private pubPc: RTCPeerConnection | null = null;
  private micTrack: MediaStreamTrack | null = null;
  private pubGen = 0;
  private wantMuted = false;

  private subPc: RTCPeerConnection | null = null;
  private subChain: Promise<void> = Promise.resolve();
  private subGen = 0;
  /** Received audio by track id: a one-track MediaStream and the <audio> playing it. */
  private readonly streams = new Map<string, { stream: MediaStream; el: HTMLAudioElement }>();
  private container: HTMLElement | null = null;

  constructor(
    private readonly send: (msg: ClientMessage) => boolean,
    private readonly changed: () => void,
    private readonly report: (message: string) => void,
    private readonly ice: Pick<IceConfig, "configuration"> = appIce,
  ) {}

  // ---------- listening ----------

  handleSubscribeOffer(sdp: string): void {
    const gen = this.subGen;
    this.subChain = this.subChain
      .then(() => this.answerSubscribe(sdp, gen))
      .catch((err: unknown) => {
        console.error("teahouse: subscribe negotiation failed", err);
        this.report("Couldn't connect to the room's audio.");
      });
  }

  private async answerSubscribe(sdp: string, gen: number): Promise<void> {
    if (gen !== this.subGen) return;
    const offer: RTCSessionDescriptionInit = { type: "offer", sdp };
    // Same ICE credentials: a renegotiation of this connection. New ones: the server
    // started a new subscription, which needs a fresh PeerConnection. (Janus changes
    // the o= session id even when renegotiating, so that is no guide.)
    const current = this.subPc?.remoteDescription?.sdp;
    if (current && iceUfrag(current) !== iceUfrag(sdp)) this.closeSubscribe(false);
    let pc = this.subPc ?? (await this.newSubscribePc(gen));
    if (!pc) return;
    try {
      await pc.setRemoteDescription(offer);
    } catch (err) {
      // A renegotiation the old connection can't take (e.g. the media server
      // restarted behind our back): start over on a fresh PeerConnection.
      if (gen !== this.subGen) return;
      console.warn("teahouse: offer refused on the existing connection, starting afresh", err);
      this.closeSubscribe(false);
      pc = await this.newSubscribePc(gen);
      if (!pc) return;
      await pc.setRemoteDescription(offer);
    }
    if (gen !== this.subGen || pc !== this.subPc) return;
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await iceGatheringComplete(pc);
    if (gen !== this.subGen || pc !== this.subPc) return;
    const local = pc.localDescription;
    if (local) this.send({ type: "subscribe_answer", sdp: local.sdp });
  }

  /** A new receiving connection, or null when the subscription changed meanwhile. */
  private async newSubscribePc(gen: number): Promise<RTCPeerConnection | null> {
    const config = await this.ice.configuration();
    if (gen !== this.subGen) return null;
    const pc = new RTCPeerConnection(config);
    this.subPc = pc;
    pc.ontrack = (event: RTCTrackEvent) => {
      if (pc !== this.subPc || event.track.kind !== "audio") return;
      const track = event.track;
      // One MediaStream (and <audio>) per received track: a WebAudio source only
      // takes the first audio track of a stream, and media elements don't reliably
      // mix several. The server's own stream grouping doesn't matter to us.
      this.attachTrack(track);
      track.addEventListener("ended", () => this.detachTrack(track.id));
      for (const stream of event.streams) {
        stream.addEventListener("removetrack", (e: MediaStreamTrackEvent) => this.detachTrack(e.track.id));
      }
      this.changed();
    };
    pc.onconnectionstatechange = () => {
      if (pc === this.subPc && pc.connectionState === "failed") {
        this.report("The room's audio connection failed.");
      }
    };
    return pc;
  }

  private attachTrack(track: MediaStreamTrack): void {
    if (this.streams.has(track.id)) return;
    const stream = new MediaStream([track]);
    const el = document.createElement("audio");
    el.autoplay = true;
    el.setAttribute("playsinline", "");
    el.setAttribute("data-track", track.id);
    el.srcObject = stream;
    this.audioContainer().appendChild(el);
    this.streams.set(track.id, { stream, el });
    this.play(el);
  }

  private detachTrack(trackId: string): void {
    const entry = this.streams.get(trackId);
    if (!entry) return;
    entry.el.pause();
    entry.el.srcObject = null;
    entry.el.remove();
    this.streams.delete(trackId);
    this.changed();
  }

  private play(el: HTMLAudioElement): void {
    const result = el.play();
    if (result && typeof result.catch === "function") {
      result.then(
        () => {
          if (this.audioBlocked && this.allPlaying()) {
            this.audioBlocked = false;
            this.changed();
          }
        },
        (err: unknown) => {
          if (err instanceof DOMException && err.name === "NotAllowedError") {
            if (!this.audioBlocked) {
              this.audioBlocked = true;
              this.changed();
            }
          }
        },
      );
    }
  }

  private allPlaying(): boolean {
    return [...this.streams.values()].every(({ el }) => !el.paused);
  }

  /** Called from a user gesture ("Tap to enable audio"). */
  unlockAudio(): void {
    this.audioBlocked = false;
    for (const { el } of this.streams.values()) this.play(el);
    this.changed();
  }

  private audioContainer(): HTMLElement {
    if (!this.container || !this.container.isConnected) {
      this.container = document.createElement("div");
      this.container.id = "teahouse-audio";
      this.container.hidden = true;
      document.body.appendChild(this.container);
    }
    return this.container;
  }

  /** The candidate types ("host", "srflx", "relay") of each connection's selected
   * pair: how the audio really travels (for tests). */
  async selectedCandidateTypes(): Promise<{ local: string; remote: string }[]> {
    const found: { local: string; remote: string }[] = [];
    for (const pc of [this.pubPc, this.subPc]) {
      if (!pc) continue;
      const stats = await pc.getStats();
      stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
        if (report.type !== "transport" || !report.selectedCandidatePairId) return;
        const pair = stats.get(report.selectedCandidatePairId) as RTCIceCandidatePairStats | undefined;
        if (!pair) return;
        const type = (id: string) => (stats.get(id) as { candidateType?: string } | undefined)?.candidateType ?? "unknown";
        found.push({ local: type(pair.localCandidateId), remote: type(pair.remoteCandidateId) });
      });
    }
    return found;
  }

  /** The microphone's track while one is open (for tests, which unplug it). */
  microphone(): MediaStreamTrack | null {
    return this.micTrack;
  }

  /** Received audio, for tests and meters. */
  audioStreams(): MediaStream[] {
    return [...this.streams.values()]
      .map(({ stream }) => stream)
      .filter((s) => s.getAudioTracks().some((t) => t.readyState === "live"));
  }

  private closeSubscribe(bumpGen = true): void {
    if (bumpGen) {
      this.subGen++;
      this.subChain = Promise.resolve();
    }
    const pc = this.subPc;
    this.subPc = null;
    if (pc) {
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    for (const { el } of this.streams.values()) {
      el.pause();
      el.srcObject = null;
      el.remove();
    }
    this.streams.clear();
    this.audioBlocked = false;
  }

  // ---------- speaking ----------

  /** Start publishing the microphone (idempotent while a publish is under way). */
  startPublishing(muted: boolean): void {
    if (this.publishState !== "off" && this.publishState !== "failed") return;
    this.wantMuted = muted;
    const gen = ++this.pubGen;
    this.publishState = "starting";
    this.micError = null;
    this.changed();
    void this.publish(gen).catch((err: unknown) => {
      if (gen !== this.pubGen) return;
      console.error("teahouse: publish failed", err);
      this.failPublish("Couldn't connect your microphone to the room.");
    });
  }

  private async publish(gen: number): Promise<void> {
    let track = this.micTrack;
    if (!track || track.readyState !== "live") {
      if (!navigator.mediaDevices?.getUserMedia) {
        this.failPublish("This browser can't use a microphone here (it needs HTTPS).");
        return;
      }
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
      } catch (err) {
        if (gen === this.pubGen) this.failPublish(micErrorMessage(err));
        return;
      }
      const t = stream.getAudioTracks()[0];
      if (gen !== this.pubGen || !t) {
        for (const s of stream.getTracks()) s.stop();
        if (gen === this.pubGen) this.failPublish("No microphone found.");
        return;
      }
      track = t;
      this.micTrack = t;
      this.watchMicrophone(t);
    }
    track.enabled = !this.wantMuted;
    const config = await this.ice.configuration();
    if (gen !== this.pubGen) return;
    const pc = new RTCPeerConnection(config);
    this.pubPc = pc;
    pc.addTransceiver(track, { direction: "sendonly", streams: [new MediaStream([track])] });
    pc.onconnectionstatechange = () => {
      if (pc !== this.pubPc) return;
      if (pc.connectionState === "connected" && this.publishState !== "live") {
        this.publishState = "live";
        this.changed();
      } else if (pc.connectionState === "failed") {
        this.failPublish("Your microphone lost its connection to the room.");
      }
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await iceGatheringComplete(pc);
    if (gen !== this.pubGen || pc !== this.pubPc) return;
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error("no local description");
    if (!this.send({ type: "publish", sdp })) {
      this.failPublish("You're offline; your microphone will reconnect.");
      return;
    }
    this.publishState = "offered";
    this.changed();
  }

  /**
   * A microphone track ends when its device is unplugged or the permission is taken
   * back: the audio is gone for good, so the stage is told at once (`unpublish`) and
   * the member sees the microphone as not live; "Try again" asks for a new track.
   */
  private watchMicrophone(track: MediaStreamTrack): void {
    track.addEventListener("ended", () => {
      if (track !== this.micTrack) return;
      this.micTrack = null;
      track.stop();
      const wasPublishing = this.pubPc !== null || this.publishState === "live" || this.publishState === "offered";
      if (wasPublishing) this.send({ type: "unpublish" });
      this.failPublish(MIC_ENDED);
    });
  }

  async handlePublishAnswer(sdp: string): Promise<void> {
    const pc = this.pubPc;
    if (!pc || pc.signalingState !== "have-local-offer") return;
    try {
      await pc.setRemoteDescription({ type: "answer", sdp });
    } catch (err) {
      if (pc !== this.pubPc) return;
      console.error("teahouse: publish answer refused", err);
      this.failPublish("Couldn't connect your microphone to the room.");
    }
  }

  /** The server refused our `publish`. */
  publishRefused(message: string): void {
    this.failPublish(message);
  }

  private failPublish(message: string): void {
    this.closePublishPc();
    this.publishState = "failed";
    this.micError = message;
    this.report(message);
    this.changed();
  }

  setMuted(muted: boolean): void {
    this.wantMuted = muted;
    if (this.micTrack) this.micTrack.enabled = !muted;
  }

  private closePublishPc(): void {
    this.pubGen++;
    const pc = this.pubPc;
    this.pubPc = null;
    if (pc) {
      pc.onconnectionstatechange = null;
      pc.close();
    }
  }

  /** Off the stage: close the publish connection and release the microphone. */
  stopPublishing(): void {
    this.closePublishPc();
    if (this.micTrack) {
      this.micTrack.stop();
      this.micTrack = null;
    }
    const wasOff = this.publishState === "off" && !this.micError;
    this.publishState = "off";
    this.micError = null;
    if (!wasOff) this.changed();
  }

  /** Publish afresh (keeping the microphone): the next reconcile starts a new publish. */
  resetPublishing(): void {
    this.closePublishPc();
    this.publishState = "off";
    this.micError = null;
    this.changed();
  }

  /** The media server restarted: drop both connections (keeping the microphone). */
  restart(): void {
    this.closePublishPc();
    this.publishState = "off";
    this.micError = null;
    this.closeSubscribe();
    this.changed();
  }

  /** Leaving the room: close everything and release the microphone. */
  closeAll(): void {
    this.stopPublishing();
    this.closeSubscribe();
    this.publishState = "off";
    this.changed();
  }
}

function iceUfrag(sdp: string): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
}
