import type { User } from "../lib/api-types";
import type { AudienceList as Audience } from "../lib/room/audience";
import { roomController } from "../lib/room/controller";
import { Avatar } from "../ui/Avatar";

/**
 * Who is listening, one page at a time on request (`audience` / `audience_page`).
 * A room may hold thousands of listeners: they are never rendered from the room
 * state, only the pages the member asked for. On a phone it is a list of rows that the
 * member opens and hides; on a desktop (`grid`) a grid of avatars that is always open.
 */
export function AudienceList({
  audience,
  count,
  youId,
  hidden,
  onOpen,
  grid = false,
}: {
  audience: Audience;
  count: number;
  youId: string | null;
  /** People the list may still show but who are on the stage by now. */
  hidden: Set<string>;
  onOpen: (user: User) => void;
  grid?: boolean;
}) {
  // The grid's heading already says "No one listening yet": no second empty state.
  if (grid && count === 0) return null;
  if (!audience.opened) {
    if (count === 0) return null;
    return (
      <button type="button" class="button button--secondary button--block" onClick={() => roomController.loadAudience(false)} data-testid="audience-show">
        See who's listening
      </button>
    );
  }
  const shown = audience.items.filter((u) => !hidden.has(u.id));
  return (
    <section
      class={`audience-list${grid ? " audience-list--grid" : ""}`}
      aria-label="Listeners"
      data-testid="audience-list"
      data-layout={grid ? "grid" : "list"}
      aria-busy={audience.loading}
    >
      <div class="audience-list__head">
        <h3>Listeners</h3>
        {!grid && (
          <button type="button" class="link-button" onClick={() => roomController.closeAudience()} data-testid="audience-hide">
            Hide
          </button>
        )}
      </div>
      {shown.length === 0 && !audience.loading && !audience.error && <p class="muted small">No one else is listening right now.</p>}
      <ul>
        {shown.map((u) => (
          <li key={u.id}>
            <button
              type="button"
              class="audience-member"
              onClick={() => onOpen(u)}
              data-testid="audience-member"
              data-user={u.username}
              aria-label={`${u.display_name || u.username}${u.id === youId ? " (you)" : ""}`}
            >
              <Avatar user={u} size={grid ? 58 : 36} />
              <span class="audience-member__text">
                <strong>
                  {u.display_name || u.username}
                  {u.id === youId ? " (you)" : ""}
                </strong>
                <small class="muted">@{u.username}</small>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {audience.error && (
        <p class="form-error" role="alert" data-testid="audience-error">
          {audience.error}
        </p>
      )}
      {(audience.next || audience.loading || audience.error) && (
        <button
          type="button"
          class="button button--secondary button--block"
          disabled={audience.loading}
          onClick={() => roomController.loadAudience(!!audience.next)}
          data-testid="audience-more"
        >
          {audience.loading ? "Loading…" : audience.error ? "Try again" : "Show more"}
        </button>
      )}
    </section>
  );
}
