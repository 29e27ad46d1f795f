import { notificationsStore } from "./notifications";
import { roomController } from "./room/controller";
import { testView } from "./room/state";
import type { SocketStatus } from "./socket";

// What the end-to-end tests read from the page (frontend/README.md, "Hooks for
// end-to-end tests"): plain JSON, never a live object.

declare global {
  interface Window {
    teahouse: {
      audioStreams: () => MediaStream[];
      microphone: () => MediaStreamTrack | null;
      selectedCandidateTypes: () => Promise<{ local: string; remote: string }[]>;
      state: () => unknown;
      socketStatus: () => SocketStatus;
      notifications: () => { unread: number; items: { id: string; kind: string; read: boolean; text: string }[] };
    };
  }
}

export function installTestHooks(): void {
  window.teahouse = {
    audioStreams: () => roomController.media.audioStreams(),
    microphone: () => roomController.media.microphone(),
    selectedCandidateTypes: () => roomController.media.selectedCandidateTypes(),
    state: () => testView(roomController.state.get()),
    socketStatus: () => roomController.socket.status,
    notifications: () => {
      const s = notificationsStore.get();
      return { unread: s.unread, items: s.items.map(({ id, kind, read, text }) => ({ id, kind, read, text })) };
    },
  };
}
