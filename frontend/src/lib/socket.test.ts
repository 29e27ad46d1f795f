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
