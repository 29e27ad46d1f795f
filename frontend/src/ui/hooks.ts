import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { problemOf, type Problem } from "../lib/problem";
import { pageLayout } from "../lib/layout";
import type { Store } from "../lib/store";

/** Re-render the calling component whenever the store changes. */
export function useStore<T>(store: Store<T>): T {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), [store]);
  return store.get();
}

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  reload: () => Promise<void>;
  /** Change the loaded value in place (after an action whose answer carries no body). */
  setData: (fn: (data: T) => T) => void;
}

/**
 * Load something for a screen: refetched when `key` changes; answers to stale requests
 * (an earlier key, an unmounted screen) are dropped.
 */
export function useLoad<T>(key: string, fetcher: () => Promise<T>, fallback = "Couldn't load this."): Loaded<T> {
  const [state, setState] = useState<{ key: string; data: T | null; problem: Problem | null; loading: boolean }>({
    key,
    data: null,
    problem: null,
    loading: true,
  });
  const seq = useRef(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, data: null, problem: null, loading: true }));
    try {
      const data = await fetcherRef.current();
      if (mine === seq.current) setState({ key, data, problem: null, loading: false });
    } catch (err) {
      if (mine === seq.current) setState((s) => ({ ...s, key, problem: problemOf(err, fallback), loading: false }));
    }
  }, [key, fallback]);

  useEffect(() => {
    void reload();
    return () => {
      seq.current++;
    };
  }, [reload]);

  const setData = useCallback((fn: (data: T) => T) => {
    setState((s) => (s.data === null ? s : { ...s, data: fn(s.data) }));
  }, []);

  const fresh = state.key === key;
  return {
    data: fresh ? state.data : null,
    problem: fresh ? state.problem : null,
    loading: fresh ? state.loading : true,
    reload,
    setData,
  };
}

/** The value, once it has stayed the same for `ms` (for search-as-you-type). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** Whether the page is drawn as a desktop (>= 1024 px, lib/layout.ts); re-renders as it changes. */
export function useDesktop(): boolean {
  return useStore(pageLayout) === "desktop";
}
