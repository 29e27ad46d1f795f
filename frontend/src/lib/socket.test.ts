// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CloseCode } from "./protocol";
import { Socket } from "./socket";

/** The WebSockets the client opened, closed by the test as the server would. */
class FakeWebSocket {
  static OPEN = 1;
  static opened: FakeWebSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.opened.push(this);
  }

  send(): void {}

  close(): void {}

  serverCloses(code: number): void {
    this.onclose?.({ code } as CloseEvent);
  }
}

beforeEach(() => {
  FakeWebSocket.opened = [];
  vi.useFakeTimers();
  vi.stubGlobal("WebSocket", FakeWebSocket);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("socket close codes", () => {
  it.each([
    [CloseCode.TooManySockets, "refused", 1],
    [CloseCode.NotAuthenticated, "refused", 1],
    [CloseCode.TooManyMessages, "connecting", 2],
    [CloseCode.TooSlow, "connecting", 2],
  ])("after close %i the socket is %s, with %i connection(s) tried", (code, status, tries) => {
    const socket = new Socket(() => "ws://teahouse.test/ws");
    socket.start();
    FakeWebSocket.opened[0].serverCloses(code);
    expect(socket.closeCode).toBe(code);
    vi.advanceTimersByTime(60_000);
    expect(socket.status).toBe(status);
    expect(FakeWebSocket.opened.length).toBe(tries);
  });
});

describe("socket back-off", () => {
  /** How many connections were tried within `ms` after the server closed with `code`, every attempt failing. */
  function attemptsWithin(code: number, ms: number): number {
    const socket = new Socket(() => "ws://teahouse.test/ws");
    socket.start();
    FakeWebSocket.opened[0].serverCloses(code);
    for (let t = 0; t < ms; t += 100) {
      vi.advanceTimersByTime(100);
      const last = FakeWebSocket.opened[FakeWebSocket.opened.length - 1];
      if (last.onclose && FakeWebSocket.opened.length > 1) last.serverCloses(1006);
    }
    socket.stop();
    return FakeWebSocket.opened.length - 1;
  }

  it("tries every 2 s at most while the server restarts (1012), every 10 s after a network failure", () => {
    // 0.5, 1, 2, then 2 s apart (±30 %) for a restart; 0.5, 1, 2, 4, 8, then 10 s otherwise.
    const restarting = attemptsWithin(CloseCode.ServerRestart, 30_000);
    FakeWebSocket.opened = [];
    const failing = attemptsWithin(1006, 30_000);
    expect(restarting).toBeGreaterThanOrEqual(12);
    expect(failing).toBeLessThanOrEqual(7);
  });
});
