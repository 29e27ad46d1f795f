import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

/** A bottom sheet on phones, a centred dialog on wider screens. Escape or a backdrop tap closes it. */
export function Sheet({
  onClose,
  children,
  label,
  testid,
}: {
  onClose: () => void;
  children: ComponentChildren;
  label: string;
  testid?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Parents pass a new closure on every render; focus handling must run only once.
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // A layout effect: listening starts as the sheet appears, so an Escape pressed the
  // moment it shows is not lost (an effect would start a frame later).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") closeRef.current();
    };
    document.addEventListener("keydown", onKey);
    const previouslyFocused = document.activeElement as HTMLElement | null;
    // A [data-autofocus] control wins (e.g. "Cancel" in a confirmation), else the first control.
    const first =
      ref.current?.querySelector<HTMLElement>("[data-autofocus]") ??
      ref.current?.querySelector<HTMLElement>("input, button, [href]");
    first?.focus({ preventScroll: true });
    return () => {
      document.removeEventListener("keydown", onKey);
      previouslyFocused?.focus?.({ preventScroll: true });
    };
  }, []);
  return (
    <div class="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="sheet" role="dialog" aria-modal="true" aria-label={label} ref={ref} data-testid={testid}>
        <div class="sheet__grip" aria-hidden="true" />
        {children}
      </div>
    </div>
  );
}
