import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Me, User } from "../lib/api-types";
import { asArray } from "../lib/payload";
import { problemOf } from "../lib/problem";
import { profileHref } from "../lib/routes";
import { navigate, onLinkClick } from "../lib/router";
import { Header } from "../shell/Header";
import { EmptyCard, LoadMore, UserRow } from "../ui/UserRow";

/** `/u/<username>/followers` and `/u/<username>/following`, a page at a time. */
export function FollowListPage({ me, username, which }: { me: Me; username: string; which: "followers" | "following" }) {
  const [users, setUsers] = useState<User[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"loading" | "ready" | "more" | "error">("loading");
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const seq = useRef(0);

  const fetchPage = async (after: string | null) => {
    const mine = ++seq.current;
    setStatus(after ? "more" : "loading");
    setError(null);
    try {
      const page = which === "followers" ? await api.followers(username, after) : await api.following(username, after);
      if (mine !== seq.current) return;
      const list = asArray<User>(page?.users);
      setUsers((now) => {
        if (!after) return list;
        const known = new Set(now.map((u) => u.id));
        return [...now, ...list.filter((u) => !known.has(u.id))];
      });
      setCursor(typeof page?.next_cursor === "string" ? page.next_cursor : null);
      setStatus("ready");
    } catch (err) {
      if (mine !== seq.current) return;
      setError(problemOf(err, "Couldn't load this list."));
      setStatus("error");
    }
  };

  useEffect(() => {
    setUsers([]);
    setCursor(null);
    void fetchPage(null);
    return () => {
      seq.current++;
    };
  }, [username, which]);

  const base = profileHref(username);
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <div class="page-head">
          <a class="link-button" href={base} onClick={onLinkClick}>
            ‹ @{username}
          </a>
        </div>
        <nav class="tabs" aria-label="Followers and following">
          <a class={`tabs__tab${which === "followers" ? " is-current" : ""}`} href={`${base}/followers`} onClick={(e) => { e.preventDefault(); navigate(`${base}/followers`, { replace: true }); }} aria-current={which === "followers" ? "page" : undefined}>
            Followers
          </a>
          <a class={`tabs__tab${which === "following" ? " is-current" : ""}`} href={`${base}/following`} onClick={(e) => { e.preventDefault(); navigate(`${base}/following`, { replace: true }); }} aria-current={which === "following" ? "page" : undefined}>
            Following
          </a>
        </nav>
        {status === "loading" && <div class="card skeleton">Loading…</div>}
        {error && status === "error" && users.length === 0 ? (
          <EmptyCard title={error.code === "user_not_found" ? "No one here by that name" : "Couldn't load this list"} testid="follow-list-error" code={error.code}>
            <p class="muted">{error.code === "user_not_found" ? `There's no member called @${username}.` : error.message}</p>
          </EmptyCard>
        ) : null}
        {status !== "loading" && status !== "error" && users.length === 0 && (
          <p class="muted center">{which === "followers" ? `No one follows @${username} yet.` : `@${username} doesn't follow anyone yet.`}</p>
        )}
        {users.length > 0 && (
          <ul class="card user-list" data-testid={`${which}-list`}>
            {users.map((u) => (
              <UserRow key={u.id} user={u} />
            ))}
          </ul>
        )}
        {error && users.length > 0 && <p class="notice notice--error">{error.message}</p>}
        {cursor && <LoadMore onClick={() => void fetchPage(cursor)} busy={status === "more"} />}
      </main>
    </div>
  );
}
