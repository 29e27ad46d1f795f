import type { ComponentChildren } from "preact";
import { useEffect, useErrorBoundary } from "preact/hooks";
import { locationStore } from "../lib/router";
import { useStore } from "../ui/hooks";
import { EmptyCard } from "../ui/UserRow";

/** A screen that throws while rendering shows a message instead of a blank page. */
export function Boundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary((err: unknown) => console.error("teahouse: a screen failed", err));
  const { path } = useStore(locationStore);
  useEffect(() => {
    if (error) reset();
  }, [path]);
  if (!error) return <>{children}</>;
  return (
    <main class="narrow">
      <EmptyCard title="Something went wrong" testid="screen-error">
        <p class="muted">This screen couldn't be shown. Try again, or go back to the hallway.</p>
        <div class="row">
          <button type="button" class="button button--primary" onClick={() => reset()}>
            Try again
          </button>
          <a class="button button--secondary" href="/">
            Hallway
          </a>
        </div>
      </EmptyCard>
    </main>
  );
}

/** An address that is no screen of ours. */
export function NotFound() {
  return (
    <main class="narrow">
      <EmptyCard title="Nothing here">
        <p class="muted">This page doesn't exist.</p>
        <a class="button button--secondary" href="/">
          Go to the hallway
        </a>
      </EmptyCard>
    </main>
  );
}
