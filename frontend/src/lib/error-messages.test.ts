// @vitest-environment happy-dom
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError } from "./api";
import { CLOSE_MESSAGES, ERROR_MESSAGES, errorMessage, GENERIC_MESSAGE } from "./error-messages";
import { errorText } from "./problem";
import { toastStore } from "./toast";
import { RoomController } from "./room/controller";
import type { ClientMessage, ServerMessage } from "./protocol";
import type { Socket } from "./socket";

// The server's `message` is for developers; whatever it says, people read the
// client's own sentence for the code (or the one generic sentence).
const SERVER_TEXT = "there is no subscription offer to answer";

function answer(status: number, body: unknown): void {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("the code-to-message table", () => {
  it("has a sentence for every code, none of them empty", () => {
    for (const text of [...Object.values(ERROR_MESSAGES), ...Object.values(CLOSE_MESSAGES)]) {
      expect(text.trim().length).toBeGreaterThan(10);
    }
  });

  it("an unknown code reads the generic sentence", () => {
    expect(errorMessage("a_code_from_the_future")).toBe(GENERIC_MESSAGE);
    expect(errorMessage("toString")).toBe(GENERIC_MESSAGE);
  });

  it.each([
    [409, { error: { code: "wrong_state", message: SERVER_TEXT } }, "wrong_state", ERROR_MESSAGES.wrong_state],
    [418, { error: { code: "a_code_from_the_future", message: SERVER_TEXT } }, "a_code_from_the_future", GENERIC_MESSAGE],
    [502, "<html>Bad gateway: " + SERVER_TEXT + "</html>", "http_502", GENERIC_MESSAGE],
    [422, { detail: [{ msg: SERVER_TEXT }] }, "http_422", GENERIC_MESSAGE],
  ])("an HTTP %i answer shows the client's sentence, not the server's", async (status, body, code, text) => {
    answer(status, body);
    const err = await api.hallway().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code, message: text });
    expect(errorText(err)).not.toContain(SERVER_TEXT);
  });

  it("a bug's own exception text never reaches the screen", () => {
    expect(errorText(new TypeError("Cannot read properties of undefined"), "Couldn't load it.")).toBe("Couldn't load it.");
  });

  it("a WebSocket error shows the client's sentence, not the server's", () => {
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const onMessage: ((msg: ServerMessage) => void)[] = [];
    const socket = {
      status: "open",
      isOpen: true,
      closeCode: null,
      user: { id: "bob", username: "bob", display_name: "Bob" },
      start: () => undefined,
      stop: () => undefined,
      newId: () => "c1",
      send: (_msg: ClientMessage) => true,
      onMessage: (fn: (msg: ServerMessage) => void) => onMessage.push(fn),
      onReady: () => undefined,
      onStatus: () => undefined,
    } as unknown as Socket;
    const controller = new RoomController(socket);
    controller.enter("r");
    const room = { id: "r", title: "Tea", visibility: "open", created_by: null, ended: false };
    const deliver = (msg: unknown) => onMessage.forEach((fn) => fn(msg as ServerMessage));
    deliver({ type: "snapshot", version: 1, room, participants: [], listeners: 1, settings: { hands: true }, you: "bob" });
    deliver({ type: "error", code: "wrong_state", message: SERVER_TEXT });
    deliver({ type: "error", code: "a_code_from_the_future", message: SERVER_TEXT });
    const shown = toastStore.get().map((t) => t.message);
    expect(shown).toEqual([ERROR_MESSAGES.wrong_state, GENERIC_MESSAGE]);
  });
});

/** Every source file of the client, but the tests and the generated types. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the client's sources", () => {
  it("never read the server's message or detail of an error", () => {
    // An error payload's text (the HTTP answer's `{"error": {"message"}}`, a
    // WebSocket error's `msg.message`, a framework's `detail`) must not be read at
    // all: it could only be shown. (A Problem's `message` is the client's own.)
    const reads = /(?:\.error\??|\bmsg\??|\berr\??|\bdata\??|\bpayload\??)\.(?:message|detail)\b/;
    // problem.ts reads the message of the client's own errors (ApiError, RoomActionError,
    // ShownError), each made from this table or a screen's text.
    const own = join(__dirname, "problem.ts");
    const found = sources(join(__dirname, "..")).filter((path) => path !== own).flatMap((path) =>
      readFileSync(path, "utf8")
        .split("\n")
        .map((line, i) => ({ path, line: i + 1, text: line }))
        .filter(({ text }) => reads.test(text) && !text.trim().startsWith("//") && !text.trim().startsWith("*")),
    );
    expect(found).toEqual([]);
  });
});
