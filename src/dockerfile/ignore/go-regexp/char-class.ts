/**
 * Character sets of Go's regexp syntax (RE2, Perl flags), as predicates on code points:
 * Perl classes (`\d \s \w`), POSIX classes (`[:alpha:]`), and Unicode groups (`\pL`,
 * `\p{Greek}`; membership from the JS engine's Unicode tables, names as Go 1.19 accepts).
 */
export type CharSet = (cp: number) => boolean;

/** A code point as Go sees the UTF-8 of a JS string: a lone surrogate becomes U+FFFD. */
export function runeOf(cp: number): number {
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}

/** `runeOf` for the code point at the start of `c`. */
export function toRune(c: string): number {
  return runeOf(c.codePointAt(0)!);
}

type Range = readonly [number, number];

function fromRanges(ranges: readonly Range[]): CharSet {
  return (cp) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

export function negate(set: CharSet): CharSet {
  return (cp) => !set(cp);
}

export function union(sets: readonly CharSet[]): CharSet {
  return (cp) => sets.some((s) => s(cp));
}

export function single(c: number): CharSet {
  return (cp) => cp === c;
}

export function range(lo: number, hi: number): CharSet {
  return (cp) => cp >= lo && cp <= hi;
}

/** `.` without the `s` flag: anything but `\n`. */
export const anyButNewline: CharSet = (cp) => cp !== 0x0a;

const c = (s: string): number => s.codePointAt(0)!;
const DIGIT: Range[] = [[c('0'), c('9')]];
const WORD: Range[] = [
  [c('0'), c('9')],
  [c('A'), c('Z')],
  [c('_'), c('_')],
  [c('a'), c('z')],
];

const PERL: Record<string, Range[]> = {
  d: DIGIT,
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: WORD,
};

/** `\d \D \s \S \w \W` by letter, or undefined. */
export function perlClass(letter: string): CharSet | undefined {
  const ranges = PERL[letter.toLowerCase()];
  if (ranges === undefined) return undefined;
  const set = fromRanges(ranges);
  return letter === letter.toLowerCase() ? set : negate(set);
}

const POSIX: Record<string, Range[]> = {
  alnum: [
    [c('0'), c('9')],
    [c('A'), c('Z')],
    [c('a'), c('z')],
  ],
  alpha: [
    [c('A'), c('Z')],
    [c('a'), c('z')],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[c('a'), c('z')]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[c('A'), c('Z')]],
  word: WORD,
  xdigit: [
    [c('0'), c('9')],
    [c('A'), c('F')],
    [c('a'), c('f')],
  ],
};

/** A POSIX class by its bracketed name (`[:alpha:]`, `[:^alpha:]`), or undefined. */
export function posixClass(name: string): CharSet | undefined {
  const m = /^\[:(\^?)([a-z]+):\]$/.exec(name);
  if (m === null || !Object.hasOwn(POSIX, m[2]!)) return undefined;
  const set = fromRanges(POSIX[m[2]!]!);
  return m[1] === '^' ? negate(set) : set;
}

const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

/** Go 1.19's `unicode.Scripts` names (Unicode 13). */
const SCRIPTS = new Set(
  (
    'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali ' +
    'Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma ' +
    'Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dives_Akuru Dogra ' +
    'Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati ' +
    'Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic ' +
    'Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li ' +
    'Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu ' +
    'Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin ' +
    'Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani ' +
    'Myanmar Nabataean Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki ' +
    'Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian ' +
    'Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi ' +
    'Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng ' +
    'Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut ' +
    'Telugu Thaana Thai Tibetan Tifinagh Tirhuta Ugaritic Vai Wancho Warang_Citi Yezidi Yi Zanabazar_Square'
  ).split(' '),
);

function property(expr: string): CharSet {
  const re = new RegExp(`^${expr}$`, 'u');
  return (cp) => re.test(String.fromCodePoint(cp));
}

/** A Unicode group by Go name (`L`, `Greek`, `Any`), or undefined when Go does not know it. */
export function unicodeGroup(name: string): CharSet | undefined {
  if (name === 'Any') return () => true;
  // Go's C is Cc|Cf|Co|Cs; JS's \p{C} also has Cn (unassigned).
  if (name === 'C') return property('[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]');
  if (CATEGORIES.has(name)) return property(`\\p{${name}}`);
  if (SCRIPTS.has(name)) return property(`\\p{Script=${name}}`);
  return undefined;
}
