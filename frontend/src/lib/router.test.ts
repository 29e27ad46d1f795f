// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from "vitest";
import { locationStore, navigate, onLinkClick } from "./router";

function link(href: string, target?: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = href;
  if (target) a.target = target;
  document.body.appendChild(a);
  return a;
}

/** Click `a` (handled by onLinkClick); true when the client took the click over. */
function click(a: HTMLAnchorElement, init: MouseEventInit = {}): boolean {
  let handled = false;
  a.addEventListener("click", onLinkClick, { once: true });
  // Read the verdict, then keep the test page where it is (no real navigation).
  const after = (e: Event) => {
    handled = e.defaultPrevented;
    e.preventDefault();
  };
  document.addEventListener("click", after, { once: true });
  a.dispatchEvent(new MouseEvent("click", { button: 0, bubbles: true, cancelable: true, ...init }));
  return handled;
}

beforeEach(() => {
  window.history.replaceState(null, "", "/");
  locationStore.set({ path: "/", search: "", hash: "" });
});

describe("navigate", () => {
  it("pushes the address and tells the store", () => {
    const before = window.history.length;
    navigate("/u/ada?tab=1#top");
    expect(locationStore.get()).toEqual({ path: "/u/ada", search: "?tab=1", hash: "#top" });
    expect(window.location.pathname).toBe("/u/ada");
    expect(window.history.length).toBe(before + 1);
  });

  it("replaces the address when asked", () => {
    const before = window.history.length;
    navigate("/search?q=tea", { replace: true });
    expect(locationStore.get().search).toBe("?q=tea");
    expect(window.history.length).toBe(before);
  });

  it("going back is heard", () => {
    navigate("/clubs");
    window.history.replaceState(null, "", "/settings");
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(locationStore.get().path).toBe("/settings");
  });
});

describe("links", () => {
  it("a plain click on a link of ours navigates in the page", () => {
    expect(click(link("/c/c1"))).toBe(true);
    expect(locationStore.get().path).toBe("/c/c1");
  });

  it.each<[string, () => boolean]>([
    ["with a modifier key (a new tab)", () => click(link("/c/c1"), { ctrlKey: true })],
    ["with the middle button", () => click(link("/c/c1"), { button: 1 })],
    ["on a link that opens a new window", () => click(link("/u/ada", "_blank"))],
    ["on another site's link", () => click(link("https://elsewhere.example/c/c1"))],
  ])("a click %s is left to the browser", (_name, doClick) => {
    expect(doClick()).toBe(false);
    expect(locationStore.get().path).toBe("/");
  });
});
