import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import { copyText } from "../lib/clipboard";
import { errorText } from "../lib/problem";
import { FormError, ReadOnlyInput } from "../ui/Field";
import { Sheet } from "../ui/Sheet";

/** A fresh room link (POST /api/rooms/{id}/link), copied at once and shown to copy again. */
export function RoomLinkSheet({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    api.roomLink(roomId).then(
      async ({ url }) => {
        if (!live) return;
        setUrl(url);
        setCopied(await copyText(url));
      },
      (err: unknown) => live && setError(errorText(err, "Couldn't make a link.")),
    );
    return () => {
      live = false;
    };
  }, [roomId]);
  const copy = async () => {
    if (url) setCopied(await copyText(url));
  };
  return (
    <Sheet onClose={onClose} label="Room link" testid="room-link-dialog">
      <div class="stack">
        <h2 class="sheet__title">Room link</h2>
        <p class="muted">Anyone with this link can come in while the room is live. Share it only with people you want here.</p>
        <FormError error={error} testid="room-link-error" />
        <div class="invite-link">
          <ReadOnlyInput value={url ?? "Making a link…"} aria-label="Room link" data-testid="room-link-url" />
        </div>
        <button type="button" class="button button--primary button--block" disabled={!url} onClick={() => void copy()} data-testid="room-link-copy">
          {copied ? "Copied" : "Copy link"}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Done
        </button>
      </div>
    </Sheet>
  );
}
