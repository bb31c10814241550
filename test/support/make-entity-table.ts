/**
 * Writes src/core/corpus/html-entities.ts, the full HTML5 named character reference table, from
 * the maps in the `entities` package (devDependency, 2.2.0: its `lib/maps/entities.json` is the
 * WHATWG list, 2,125 names with their full values, two code points for some; `legacy.json` the
 * 106 names browsers also decode without a ";"). Run: `npx tsx test/support/make-entity-table.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const maps = resolve(root, 'node_modules/entities/lib/maps');
const all = JSON.parse(readFileSync(resolve(maps, 'entities.json'), 'utf8')) as Record<string, string>;
const legacy = Object.keys(JSON.parse(readFileSync(resolve(maps, 'legacy.json'), 'utf8')) as Record<string, string>).sort();

/** Entries as `name value` pairs joined by NUL in one string, cut into lines of about 100 names. */
const pairs = Object.keys(all)
  .sort()
  .map((name) => `${name}\u0001${all[name]}`);
const lines: string[] = [];
for (let i = 0; i < pairs.length; i += 100) lines.push(`  ${JSON.stringify(pairs.slice(i, i + 100).join('\u0000'))},`);

const out = `/**
 * The HTML5 named character references (all ${pairs.length}), written by
 * test/support/make-entity-table.ts from the \`entities\` package's maps — do not edit by hand.
 * Stored as "name U+0001 value" pairs joined by U+0000: one string per hundred names is far
 * smaller to ship and parse than an object literal.
 */
const PACKED = [
${lines.join('\n')}
];

/** Value by name (without "&" and ";"). */
export const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map(
  PACKED.flatMap((chunk) => chunk.split('\\u0000')).map((pair) => pair.split('\\u0001') as [string, string]),
);

/** Names browsers also decode with no ";" after them ("&copy 2024", "&amp"). */
export const LEGACY_ENTITIES: ReadonlySet<string> = new Set(${JSON.stringify(legacy)});
`;
writeFileSync(resolve(root, 'src/core/corpus/html-entities.ts'), out);
console.log(`${pairs.length} names, ${legacy.length} legacy`);
