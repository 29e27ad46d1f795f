import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The Python app serves the built files from src/teahouse/static/ and answers
// index.html for every path that is not /api or /ws (history routing).
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: "../src/teahouse/static",
    emptyOutDir: true,
    target: "es2020",
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a local backend (or dev/mock_server.py) on :8000.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
});
