import { describe, expect, it } from "vitest";
import { layoutStore, type MediaQueryWatch } from "./layout";

/** A media query whose answer the test changes, as resizing a window would. */
class FakeQuery implements MediaQueryWatch {
  private listeners: ((e: { matches: boolean }) => void)[] = [];
  constructor(public matches: boolean) {}
  addEventListener(_type: "change", listener: (e: { matches: boolean }) => void): void {
    this.listeners.push(listener);
  }
  resize(matches: boolean): void {
    this.matches = matches;
    for (const l of this.listeners) l({ matches });
  }
}

describe("the layout follows the desktop breakpoint", () => {
  it("starts from the query's answer", () => {
    expect(layoutStore(new FakeQuery(true)).get()).toBe("desktop");
    expect(layoutStore(new FakeQuery(false)).get()).toBe("phone");
  });

  it("changes as the window crosses the breakpoint, and tells its subscribers once", () => {
    const query = new FakeQuery(false);
    const store = layoutStore(query);
    const seen: string[] = [];
    store.subscribe((layout) => seen.push(layout));
    query.resize(true);
    query.resize(true); // no change: no news
    query.resize(false);
    expect(seen).toEqual(["desktop", "phone"]);
    expect(store.get()).toBe("phone");
  });

  it("is a phone's without matchMedia", () => {
    expect(layoutStore(null).get()).toBe("phone");
  });
});
