import type { User } from "./api-types";
import { CloseCode, type ClientMessage, type ServerMessage } from "./protocol";

export type SocketStatus = "idle" | "connecting" | "open" | "reconnecting" | "refused";

type MessageHandler = (msg: ServerMessage) => void;

const PING_EVERY_MS = 20_000;
const SILENCE_LIMIT_MS = 50_000;
const WELCOME_WAIT_MS = 1500;
/** The longest wait between attempts: after a network failure, and while the server restarts (1012). */
const BACKOFF_CEILING_MS = 10_000;
const RESTART_CEILING_MS = 2_000;
/** Close codes after which reconnecting would only be refused again. */
const FINAL_CLOSES: ReadonlySet<number> = new Set([CloseCode.NotAuthenticated, CloseCode.OriginForbidden, CloseCode.TooManySockets]);
/** The room protocol this client speaks (docs/PROTOCOL.md). */
export const PROTOCOL = 2;

/**
 * The one WebSocket of the app session. Reconnects with exponential backoff and
 * jitter; tells its owner when it is (re)ready so the owner can resume with
 * `join` + `since`. Close codes 4401 (no session, or a suspended account), 4403
 * (bad Origin) and 4429 (the member has too many sockets open elsewhere: another
 * attempt would be refused again while those stay open) are final; 4408 (the server dropped us for falling behind) reconnects
 * at once, and the room resumes with `join` + `since` like after any reconnection;
 * 1012 (the server is restarting; its rooms stay live) reconnects with a back-off that
 * never waits more than 2 s, so the room is back soon after the server is, and the
 * jitter spreads a whole room's reconnections.
 */
export class Socket {
  status: SocketStatus = "idle";
  closeCode: number | null = null;
  user: User | null = null;
  /** The protocol version the server spoke in `welcome` (this client speaks 2). */
  protocol: number | null = null;

  private ws: WebSocket | null = null;
  private attempt = 0;
  private ceiling = BACKOFF_CEILING_MS;
  private everReady = false;
  private stopped = true;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private nextId = 1;

  private readonly messageHandlers = new Set<MessageHandler>();
  private readonly readyHandlers = new Set<(resumed: boolean) => void>();
  private readonly statusHandlers = new Set<(status: SocketStatus) => void>();

  constructor(private readonly url: () => string = defaultUrl) {
    window.addEventListener("online", () => this.kick());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.kick();
    });
  }

  onMessage(fn: MessageHandler): () => void {
    this.messageHandlers.add(fn);
    return () => this.messageHandlers.delete(fn);
  }

  /** `resumed` is true when this is a reconnection after an earlier ready connection. */
  onReady(fn: (resumed: boolean) => void): () => void {
    this.readyHandlers.add(fn);
    return () => this.readyHandlers.delete(fn);
  }

  onStatus(fn: (status: SocketStatus) => void): () => void {
    this.statusHandlers.add(fn);
    return () => this.statusHandlers.delete(fn);
  }

  get isOpen(): boolean {
    return this.status === "open" && this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.dropConnection(1000);
    this.everReady = false;
    this.setStatus("idle");
  }

  newId(): string {
    return `c${this.nextId++}`;
  }

  /** Send a message; returns false (and sends nothing) when not connected. */
  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  /** Reconnect now if we are waiting to. */
  private kick(): void {
    if (this.stopped || this.ws) return;
    clearTimeout(this.reconnectTimer);
    this.attempt = 0;
    this.open();
  }

  private setStatus(status: SocketStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const fn of [...this.statusHandlers]) fn(status);
  }

  private open(): void {
    clearTimeout(this.reconnectTimer);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.closeCode = null;
    this.setStatus(this.everReady ? "reconnecting" : "connecting");
    let ready = false;
    let welcomeTimer: ReturnType<typeof setTimeout> | undefined;

    const becomeReady = () => {
      if (ready || this.ws !== ws) return;
      ready = true;
      clearTimeout(welcomeTimer);
      this.attempt = 0;
      this.ceiling = BACKOFF_CEILING_MS;
      const resumed = this.everReady;
      this.everReady = true;
      this.setStatus("open");
      for (const fn of [...this.readyHandlers]) fn(resumed);
    };

    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      // `welcome` should come first; don't hang if it never does.
      welcomeTimer = setTimeout(becomeReady, WELCOME_WAIT_MS);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.keepAlive(ws), PING_EVERY_MS);
    };

    ws.onmessage = (event: MessageEvent) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      if (typeof event.data !== "string") return;
      let msg: unknown;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!msg || typeof msg !== "object" || typeof (msg as { type?: unknown }).type !== "string") return;
      const message = msg as ServerMessage;
      if (message.type === "welcome") {
        if (message.user && typeof message.user === "object") this.user = message.user;
        if (typeof message.protocol === "number") {
          this.protocol = message.protocol;
          if (message.protocol !== PROTOCOL) console.warn(`teahouse: server speaks protocol ${message.protocol}, client ${PROTOCOL}`);
        }
        becomeReady();
      }
      for (const fn of [...this.messageHandlers]) {
        try {
          fn(message);
        } catch (err) {
          console.error("teahouse: message handler failed", message.type, err);
        }
      }
    };

    ws.onclose = (event: CloseEvent) => {
      if (this.ws !== ws) return;
      clearTimeout(welcomeTimer);
      this.ws = null;
      clearInterval(this.pingTimer);
      this.closeCode = event.code;
      if (FINAL_CLOSES.has(event.code)) {
        this.stopped = true;
        this.setStatus("refused");
        return;
      }
      // Dropped for being slow: the network is fine, so come back without waiting.
      if (event.code === CloseCode.TooSlow) this.attempt = 0;
      if (event.code === CloseCode.ServerRestart) this.ceiling = RESTART_CEILING_MS;
      if (!this.stopped) this.scheduleReconnect();
    };

    ws.onerror = () => {
      /* a close event follows */
    };
  }

  private keepAlive(ws: WebSocket): void {
    if (this.ws !== ws) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      // Half-open connection: give up on it and reconnect.
      this.dropConnection(4000);
      this.scheduleReconnect();
      return;
    }
    this.send({ type: "ping" });
  }

  private dropConnection(code: number): void {
    const ws = this.ws;
    this.ws = null;
    clearInterval(this.pingTimer);
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close(code);
      } catch {
        /* already closing */
      }
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus(this.everReady ? "reconnecting" : "connecting");
    const base = Math.min(this.ceiling, 500 * 2 ** this.attempt);
    const delay = base * (0.7 + Math.random() * 0.6);
    this.attempt++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }
}

function defaultUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/ws`;
}

/**
 * The app session's one socket: the room controller joins rooms on it, and the
 * notifications and the hallway listen to it. Started on sign-in, stopped on sign-out.
 */
export const appSocket = new Socket();
