import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import type { Me } from "../lib/api-types";
import { roomController } from "../lib/room/controller";
import { locationStore, navigate } from "../lib/router";
import { HallwayColumn } from "../hallway/HallwayColumn";
import { useDesktop, useStore } from "../ui/hooks";
import { ChevronLeft } from "../ui/icons";
import { LiveRoom } from "./LiveRoom";
import { RoomOver } from "./RoomOver";

/** `#link=<code>` from a room link (POST /api/rooms/{id}/link). */
export function roomLinkCode(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const code = params.get("link");
  return code && code.length <= 100 ? code : null;
}

/** `/room/<id>`: joins the room while the screen is open, and shows it by its phase. */
export function RoomPage({ me, roomId }: { me: Me; roomId: string }) {
  const state = useStore(roomController.state);
  const linkCode = roomLinkCode(useStore(locationStore).hash);

  useEffect(
    () => () => {
      if (roomController.state.get().roomId === roomId) roomController.leave();
    },
    [roomId],
  );
  // Also when only the fragment changes (a room link opened on this very page). Without
  // a code this does nothing while the room is joining or live.
  useEffect(() => {
    // The code is used once: take it out of the address bar (and history) after that.
    const forgetLink = () => {
      if (window.location.hash) navigate(window.location.pathname + window.location.search, { replace: true });
    };
    roomController.enter(roomId, linkCode ?? undefined, forgetLink);
  }, [roomId, linkCode]);

  const title = state.synced?.room.title;
  useEffect(() => {
    document.title = title ? `${title} · Teahouse` : "Teahouse";
    return () => {
      document.title = "Teahouse";
    };
  }, [title]);

  const leave = () => {
    roomController.leave();
    navigate("/");
  };

  const phase = state.phase;
  if (state.roomId !== roomId || phase.name === "joining" || phase.name === "idle") {
    return (
      <RoomShell roomId={roomId} onBack={leave}>
        <div class="room-card room-card--loading" aria-busy="true">
          <div class="spinner" />
          <p class="muted">{state.connection === "reconnecting" ? "Reconnecting…" : "Joining the room…"}</p>
        </div>
      </RoomShell>
    );
  }
  if (phase.name !== "live") return <RoomOver phase={phase} />;
  return <LiveRoom me={me} state={state} onLeave={leave} />;
}

/**
 * The room's frame: "‹ Hallway" (which leaves the room) and the top bar's actions. On a
 * desktop the hallway stands beside it as a column (in reading order before the room,
 * as a page's navigation is) and `side` (the hand queue) in a panel after it.
 */
export function RoomShell({
  roomId,
  onBack,
  children,
  extra,
  side,
}: {
  roomId: string;
  onBack: () => void;
  children: ComponentChildren;
  extra?: ComponentChildren;
  side?: ComponentChildren;
}) {
  const desktop = useDesktop();
  // The room's own column is the same element in both layouts, so that crossing the
  // breakpoint (a window resized, a tablet turned) moves it without remounting it.
  return (
    <div
      class={`page room-page${desktop ? ` room-layout${side ? " room-layout--side" : ""}` : ""}`}
      data-testid="room-layout"
      data-layout={desktop ? "desktop" : "phone"}
    >
      {desktop && <HallwayColumn currentRoomId={roomId} />}
      <div class="room-layout__center">
        <header class="room-topbar">
          <button type="button" class="link-button" onClick={onBack} aria-label="Leave and go back to the hallway">
            <ChevronLeft /> Hallway
          </button>
          {extra}
        </header>
        {children}
      </div>
      {side}
    </div>
  );
}
