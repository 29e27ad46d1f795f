import { defineConfig } from "vitest/config";

// The unit tests of the client's own code (npm test). Formatters read the viewer's
// locale and time zone: the test processes get fixed ones, whatever the machine's are.
// Workers are forked after this file runs, so they start with these values.
process.env.LC_ALL = "en-US";
process.env.TZ = "Europe/Berlin";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    // The DOM tests' page (happy-dom): an address of its own, and no real navigation.
    environmentOptions: {
      happyDOM: {
        url: "http://teahouse.test/",
        settings: { navigation: { disableMainFrameNavigation: true, disableChildPageNavigation: true } },
      },
    },
  },
});
