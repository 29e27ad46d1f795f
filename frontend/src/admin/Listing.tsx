import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../lib/problem";
import { LoadMore } from "../ui/UserRow";

/** A page of one of the admin lists: the items under `K`, and the next cursor. */
type Paged<K extends string, T> = { [key in K]: T[] } & { next_cursor: string | null };

/** A paged list: the first page on `key` change, "Load more" after. */
export function usePaged<K extends string, T>(key: string, field: K, fetch: (cursor: string | null) => Promise<Paged<K, T>>) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const load = async (from: string | null, replace: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const page = await fetch(from);
      setItems((old) => (replace ? page[field] : [...old, ...page[field]]));
      setCursor(page.next_cursor);
    } catch (err) {
      setError(errorText(err, "Couldn't load this."));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(null, true);
  }, [key]);
  return {
    items,
    setItems,
    busy,
    error,
    more: cursor ? () => void load(cursor, false) : null,
    reload: () => void load(null, true),
  };
}

export function Listing<T>({
  list,
  empty,
  render,
  testid,
}: {
  list: { items: T[]; busy: boolean; error: string | null; more: (() => void) | null };
  empty: string;
  render: (item: T) => ComponentChildren;
  testid: string;
}) {
  return (
    <>
      {list.error && (
        <p class="form-error" role="alert">
          {list.error}
        </p>
      )}
      {!list.busy && !list.error && list.items.length === 0 && <p class="muted" data-testid={`${testid}-empty`}>{empty}</p>}
      <ul class="user-list" data-testid={testid}>
        {list.items.map(render)}
      </ul>
      {list.more && <LoadMore onClick={list.more} busy={list.busy} />}
    </>
  );
}

