// The client's protocol and REST types, generated from the server's own schemas.
//
// The server writes two documents into src/generated/ (`make generated`):
// protocol.schema.json (every WebSocket message, both directions, and the error and
// close codes) and openapi.json (the HTTP API). This script turns each into
// TypeScript with json-schema-to-typescript: protocol.ts and api.ts. With `--check`
// it writes nothing and fails when either file is not what the documents give, so a
// message or route changed on the server cannot leave the client behind: `npm run
// build` checks first.

import { readFile, writeFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";

const DIR = new URL("../src/generated/", import.meta.url);
const OUTPUTS = [
  { from: "protocol.schema.json", to: "protocol.ts", defs: (doc) => doc.$defs, ref: "#/$defs/" },
  { from: "openapi.json", to: "api.ts", defs: (doc) => doc.components.schemas, ref: "#/components/schemas/" },
];
const BANNER = (from) =>
  `// Generated from src/generated/${from} by scripts/generate-types.mjs. Do not edit:\n` +
  "// change the server's models and run `make generated`.\n";

/**
 * A schema's `title` becomes a type of its own: only named schemas keep one, so that a
 * property's schema does not turn into an alias such as `Username1`. (Keys of a
 * `properties` map are property names, never titles.)
 */
function untitled(node, isNamed) {
  if (Array.isArray(node)) return node.map((item) => untitled(item, false));
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "title" || isNamed)
      .map(([key, value]) => [key, key === "properties" ? propertiesOf(value) : untitled(value, false)]),
  );
}

function propertiesOf(properties) {
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, untitled(schema, false)]));
}

async function generate({ from, to, defs, ref }) {
  const doc = JSON.parse(await readFile(new URL(from, DIR), "utf8"));
  const named = Object.fromEntries(
    Object.entries(defs(doc)).map(([name, schema]) => [name, untitled({ ...schema, title: name }, true)]),
  );
  // One root that names every definition, so each becomes an exported type; the root
  // itself is not part of the output.
  const root = {
    title: "GeneratedRoot",
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(Object.keys(named).map((name) => [name, { $ref: ref + name }])),
  };
  const holder = ref === "#/$defs/" ? { $defs: named } : { components: { schemas: named } };
  const text = await compile({ ...root, ...holder }, "GeneratedRoot", {
    bannerComment: "",
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: true,
    unreachableDefinitions: true,
    enableConstEnums: false,
    format: true,
  });
  const body = text
    .replace(/^export interface GeneratedRoot \{[\s\S]*?^\}\n/m, "")
    // The generator notes where each definition was referenced from: always the root.
    .replace(/\n \*\n \* This interface was referenced by `GeneratedRoot`'s JSON-Schema\n \* via the `definition` "\w+"\./g, "")
    .replace(/\/\*\*\n \* This interface was referenced by `GeneratedRoot`'s JSON-Schema\n \* via the `definition` "\w+"\.\n \*\/\n/g, "");
  return BANNER(from) + body;
}

const check = process.argv.includes("--check");
let stale = [];
for (const output of OUTPUTS) {
  const text = await generate(output);
  const target = new URL(output.to, DIR);
  if (!check) {
    await writeFile(target, text);
    continue;
  }
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== text) stale.push(`src/generated/${output.to}`);
}
if (stale.length) {
  console.error(`${stale.join(" and ")} not generated from the schemas beside them: run \`make generated\`.`);
  process.exit(1);
}
