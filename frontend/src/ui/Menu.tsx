import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

/**
 * A button that opens a small menu panel (`role="menu"`) under it. A tap outside, or
 * Escape, closes it; `children` gets `close` for items that should close it too.
 */
export function Menu({
  class: extraClass,
  buttonClass,
  label,
  testid,
  button,
  children,
}: {
  /** Extra classes of the wrapper (placement). */
  class?: string;
  buttonClass: string;
  /** The button's accessible name. */
  label: string;
  testid?: string;
  /** What the button shows (an avatar, "…"). */
  button: ComponentChildren;
  children: (close: () => void) => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const close = () => setOpen(false);
  return (
    <div class={extraClass ? `${extraClass} menu` : "menu"} ref={ref}>
      <button
        type="button"
        class={buttonClass}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        data-testid={testid}
        onClick={() => setOpen(!open)}
      >
        {button}
      </button>
      {open && (
        <div class="menu__panel" role="menu">
          {children(close)}
        </div>
      )}
    </div>
  );
}
