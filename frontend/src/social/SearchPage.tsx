import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import { compactCount } from "../lib/format";
import type { ClubRef, Me, RoomSummary, SearchResults, UserCard } from "../lib/api-types";
import { asArray } from "../lib/payload";
import { errorText } from "../lib/problem";
import { clubHref, roomHref } from "../lib/routes";
import { navigate, onLinkClick } from "../lib/router";
import { Header } from "../shell/Header";
import { ClubBadge } from "../ui/Avatar";
import { useDebounced } from "../ui/hooks";
import { LockIcon, PeopleIcon, SearchIcon } from "../ui/icons";
import { UserRow } from "../ui/UserRow";

const DEBOUNCE_MS = 250;
const MAX_QUERY = 100;

/** `/search?q=`: members, clubs and live rooms, as you type. */
export function SearchPage({ me, initialQuery }: { me: Me; initialQuery: string }) {
  const [query, setQuery] = useState(initialQuery);
  const settled = useDebounced(query.trim(), DEBOUNCE_MS);
  const [results, setResults] = useState<{ q: string; data: SearchResults } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus({ preventScroll: true });
  }, []);

  // The address follows the query (so it can be shared or reloaded), and back again.
  useEffect(() => {
    if (initialQuery.trim() !== query.trim()) setQuery(initialQuery);
  }, [initialQuery]);

  useEffect(() => {
    const q = settled.slice(0, MAX_QUERY);
    navigate(q ? `/search?q=${encodeURIComponent(q)}` : "/search", { replace: true });
    if (!q) {
      seq.current++;
      setResults(null);
      setError(null);
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    api.search(q).then(
      (data) => {
        if (mine !== seq.current) return;
        setResults({
          q,
          data: { members: asArray<UserCard>(data?.members), clubs: asArray<ClubRef>(data?.clubs), rooms: asArray<RoomSummary>(data?.rooms) },
        });
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(errorText(err, "Search failed.", { invalid_request: "Type up to 100 characters." }));
        setLoading(false);
      },
    );
  }, [settled]);

  const data = results?.data;
  const nothing = data && !data.members.length && !data.clubs.length && !data.rooms.length;
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <form class="search-box" role="search" onSubmit={(e) => e.preventDefault()}>
          <SearchIcon />
          <input
            ref={inputRef}
            type="search"
            enterKeyHint="search"
            placeholder="Search members, clubs and rooms"
            aria-label="Search"
            autoComplete="off"
            autoCapitalize="none"
            spellcheck={false}
            maxLength={MAX_QUERY}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            data-testid="search-input"
          />
          {loading && <span class="spinner spinner--small" aria-label="Searching" />}
        </form>
        {error && (
          <p class="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {!settled && <p class="muted center search-hint">Find people by name or @username, clubs by name, and live rooms by title.</p>}
        {nothing && (
          <p class="muted center" data-testid="search-empty">
            Nothing matches “{results.q}”.
          </p>
        )}
        {data && data.members.length > 0 && (
          <section data-testid="search-members">
            <h2 class="section-title">Members</h2>
            <ul class="card user-list">
              {data.members.map((u) => (
                <UserRow key={u.id} user={u} testid="search-member" />
              ))}
            </ul>
          </section>
        )}
        {data && data.clubs.length > 0 && (
          <section data-testid="search-clubs">
            <h2 class="section-title">Clubs</h2>
            <ul class="card user-list">
              {data.clubs.map((c) => (
                <li key={c.id} class="user-row" data-testid="search-club" data-club-id={c.id}>
                  <a class="user-row__who" href={clubHref(c.id)} onClick={onLinkClick}>
                    <ClubBadge club={c} size={44} />
                    <span class="user-row__text">
                      <strong>{c.name}</strong>
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        {data && data.rooms.length > 0 && (
          <section data-testid="search-rooms">
            <h2 class="section-title">Live rooms</h2>
            <ul class="card user-list">
              {data.rooms.map((r) => (
                <li key={r.id} class="user-row" data-testid="search-room" data-room-id={r.id}>
                  <a class="user-row__who" href={roomHref(r.id)} onClick={onLinkClick}>
                    <span class="room-dot" aria-hidden="true">
                      {r.visibility === "open" ? <PeopleIcon size={20} /> : <LockIcon size={18} />}
                    </span>
                    <span class="user-row__text">
                      <strong>{r.title}</strong>
                      <small class="muted">
                        {r.club?.name ? `${r.club.name} · ` : ""}
                        {compactCount(r.participant_count)} in the room
                      </small>
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </div>
  );
}
