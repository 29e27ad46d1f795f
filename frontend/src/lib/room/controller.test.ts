// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ClientMessage, ServerMessage } from "../protocol";
import type { Socket } from "../socket";
import * as toastModule from "../toast";
import { RoomController } from "./controller";
import { ROOM_TEXTS } from "./texts";
import { testView } from "./state";

/** A socket that is open, records what is sent, and delivers what the test says. */
function fakeSocket() {
  const sent: ClientMessage[] = [];
  const onMessage: ((msg: ServerMessage) => void)[] = [];
  let n = 0;
  const socket = {
    status: "open",
    isOpen: true,
    closeCode: null,
    user: { id: "bob", username: "bob", display_name: "Bob" },
    start: () => undefined,
    stop: () => undefined,
    newId: () => `c${++n}`,
    send: (msg: ClientMessage) => (sent.push(msg), true),
    onMessage: (fn: (msg: ServerMessage) => void) => onMessage.push(fn),
    onReady: () => undefined,
    onStatus: () => undefined,
  };
  const deliver = (msg: unknown) => onMessage.forEach((fn) => fn(msg as ServerMessage));
  return { socket: socket as unknown as Socket, sent, deliver };
}

const room = { id: "r", title: "Tea", visibility: "open", created_by: { id: "ada", username: "ada", display_name: "Ada" }, ended: false };
const ada = { user: room.created_by, role: "moderator", hand_raised: false, invited: false, muted: false, speaking: false, publishing: true };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("room controller", () => {
  it("joins, goes live on the snapshot, and logs each change of phase", () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const { socket, sent, deliver } = fakeSocket();
    const controller = new RoomController(socket);
    controller.enter("r");
    expect(sent).toEqual([{ type: "join", room: "r", id: "c1" }]);
    deliver({ type: "snapshot", version: 3, room, participants: [ada], listeners: 1, settings: { hands: true }, you: "bob" });
    expect(testView(controller.state.get())).toMatchObject({ phase: "live", version: 3, inVisibleSet: false, me: { role: "listener" } });
    deliver({ type: "room_ended", room: "r", reason: "ended_by_moderator" });
    expect(controller.state.get().phase).toMatchObject({ name: "ended", problem: { reason: "ended_by_moderator" } });
    expect(debug.mock.calls).toEqual([
      ["teahouse: room phase %s -> %s", "idle", "joining"],
      ["teahouse: room phase %s -> %s", "joining", "live"],
      ["teahouse: room phase %s -> %s", "live", "ended (room_ended)"],
    ]);
  });

  it("a screen waiting for an action hears the server's answer", async () => {
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const { socket, sent, deliver } = fakeSocket();
    const controller = new RoomController(socket);
    controller.enter("r");
    deliver({ type: "snapshot", version: 3, room, participants: [ada], you: "bob" });
    const ending = controller.endRoom();
    expect(sent.at(-1)).toEqual({ type: "end_room", id: "c2" });
    deliver({ type: "error", code: "not_moderator", message: "No.", ref: "c2" });
    await expect(ending).rejects.toMatchObject({ code: "not_moderator", message: "Only moderators can do that." });
  });

  it("a server that lost us (not_in_room) gets a fresh join", () => {
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const { socket, sent, deliver } = fakeSocket();
    const controller = new RoomController(socket);
    controller.enter("r");
    deliver({ type: "snapshot", version: 3, room, participants: [ada], you: "bob" });
    controller.raiseHand(true);
    deliver({ type: "error", code: "not_in_room", message: "", ref: "c2" });
    expect(controller.state.get().phase.name).toBe("joining");
    expect(sent.at(-1)).toEqual({ type: "join", room: "r", id: "c3" });
  });

  it("an open audience list follows people coming and going", () => {
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const { socket, sent, deliver } = fakeSocket();
    const controller = new RoomController(socket);
    controller.enter("r");
    deliver({ type: "snapshot", version: 3, room, participants: [ada], listeners: 0, settings: { hands: true }, you: "ada" });
    controller.loadAudience();
    expect(sent.at(-1)).toEqual({ type: "audience", limit: 50, id: "c2" });
    deliver({ type: "audience_page", listeners: [], next: null, count: 0, ref: "c2" });
    expect(controller.state.get().audience.items).toEqual([]);

    const cy = { id: "cy", username: "cy", display_name: "Cy" };
    deliver({ type: "delta", version: 4, changes: [{ op: "listeners", count: 1 }] });
    expect(sent.at(-1)).toEqual({ type: "audience", limit: 50, id: "c3" });
    // A second change while that page is on its way: asked again once it is here.
    deliver({ type: "delta", version: 5, changes: [{ op: "listeners", count: 2 }] });
    expect(sent.length).toBe(3);
    deliver({ type: "audience_page", listeners: [cy], next: null, count: 1, ref: "c3" });
    expect(controller.state.get().audience.items).toEqual([cy]);
    expect(sent.at(-1)).toEqual({ type: "audience", limit: 50, id: "c4" });
    deliver({ type: "audience_page", listeners: [], next: null, count: 0, ref: "c4" });
    expect(controller.state.get().audience).toMatchObject({ opened: true, items: [], loading: false });

    // A closed list asks for nothing.
    controller.closeAudience();
    deliver({ type: "delta", version: 6, changes: [{ op: "listeners", count: 1 }] });
    expect(sent.length).toBe(4);
  });

  it("arriving on the stage muted prompts 'unmute to talk' until the first unmute", () => {
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const toasts = vi.spyOn(toastModule, "toast").mockImplementation(() => undefined);
    const { socket, sent, deliver } = fakeSocket();
    const controller = new RoomController(socket);
    controller.enter("r");
    const bob = { user: socket.user, role: "listener", hand_raised: true, invited: false, muted: false, speaking: false, publishing: false };
    deliver({ type: "snapshot", version: 3, room, participants: [ada, bob], listeners: 1, settings: { hands: true }, you: "bob" });
    expect(controller.state.get().stagePrompt).toBe(false);
    // The raised hand is taken: on the stage, muted. A prompt, and no "a moderator muted you".
    deliver({ type: "delta", version: 4, changes: [{ op: "upsert", participant: { ...bob, role: "speaker", hand_raised: false, muted: true } }] });
    expect(controller.state.get().stagePrompt).toBe(true);
    expect(toasts).not.toHaveBeenCalledWith(ROOM_TEXTS.mutedByModerator, "info");
    controller.setMuted(false);
    expect(sent.filter((m) => m.type === "mute").at(-1)).toMatchObject({ type: "mute", muted: false });
    deliver({ type: "delta", version: 5, changes: [{ op: "upsert", participant: { ...bob, role: "speaker", hand_raised: false, muted: false } }] });
    expect(controller.state.get().stagePrompt).toBe(false);
    // A moderator's mute later is told as such; the arrival prompt does not come back.
    deliver({ type: "delta", version: 6, changes: [{ op: "upsert", participant: { ...bob, role: "speaker", hand_raised: false, muted: true } }] });
    expect(controller.state.get().stagePrompt).toBe(false);
    expect(toasts).toHaveBeenCalledWith(ROOM_TEXTS.mutedByModerator, "info");
  });

  it("a co-host whose snapshot puts them on the stage muted is prompted", () => {
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const { socket, deliver } = fakeSocket();
    const controller = new RoomController(socket);
    controller.enter("r");
    const bob = { user: socket.user, role: "moderator", hand_raised: false, invited: false, muted: true, speaking: false, publishing: false };
    deliver({ type: "snapshot", version: 3, room, participants: [ada, bob], listeners: 0, settings: { hands: true }, you: "bob" });
    expect(controller.state.get().stagePrompt).toBe(true);
  });
});
