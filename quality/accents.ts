/**
 * Accents left off common Spanish words where what remains is also a word: Hunspell knows
 * `ademas` (of the verb ademar, to shore up a mine), `numero` (I number) or `sera` (a basket), so
 * a dictionary alone never flags them, though in news text they are nearly always `además`,
 * `número`, `será`. Only words whose accentless reading is rare in news are listed: pairs where
 * both are common (`esta`/`está`, `publica`/`pública`, `continua`/`continúa`, the preterites
 * `afirmo`/`afirmó`) need the sentence's grammar, which no word list has.
 */

const SLIPS: Record<string, ReadonlyMap<string, string>> = {
  es: slipMap({
    ademas: "además",
    angulo: "ángulo",
    arbitro: "árbitro",
    articulo: "artículo",
    capitulo: "capítulo",
    circulo: "círculo",
    deposito: "depósito",
    especifico: "específico",
    estimulo: "estímulo",
    frio: "frío",
    habito: "hábito",
    ingles: "inglés",
    jamas: "jamás",
    lampara: "lámpara",
    lideres: "líderes",
    linea: "línea",
    lio: "lío",
    maquina: "máquina",
    mas: "más",
    medico: "médico",
    merito: "mérito",
    numero: "número",
    pacifico: "pacífico",
    pagina: "página",
    paginas: "páginas",
    salia: "salía",
    sera: "será",
    silaba: "sílaba",
    tenia: "tenía",
    titulo: "título",
    trafico: "tráfico",
    transito: "tránsito",
    ultimo: "último",
  }),
};

function slipMap(slips: Record<string, string>): ReadonlyMap<string, string> {
  return new Map(Object.entries(slips));
}

/**
 * Any of a language's slips as a word, in any case: one quick scan of a paragraph that has none.
 * Without the `u` flag, `\\b` takes accented letters for word ends: it may let a paragraph through
 * that has none (each word is then looked at), never one that has one.
 */
const ANY_SLIP: Record<string, RegExp> = Object.fromEntries(
  Object.entries(SLIPS).map(([lang, slips]) => [
    lang,
    new RegExp(`\\b(?:${[...slips.keys()].join("|")})\\b`, "i"),
  ]),
);

/** False when `text` has none of the language's slips (most paragraphs): no word need be looked up. */
export function mayHaveSlips(text: string, lang: string): boolean {
  return ANY_SLIP[lang]?.test(text) ?? false;
}

/** Marks after which a capital starts a sentence (or a quotation) rather than a name. */
const OPENERS = new Set([".", "!", "?", "¿", "¡", "«", "“", '"', ":", "(", "—", "-"]);

/**
 * The accented word `word` most likely lost its accent from, written in its case; undefined when
 * it is no such slip. A capitalized word inside a sentence is a name (Artur Mas), never a slip.
 */
export function accentSlip(word: string, lang: string, text: string, at: number): string | undefined {
  const slips = SLIPS[lang];
  if (!slips) return undefined;
  // Most words are lower case and no slip: one lookup, nothing built.
  const first = word.charCodeAt(0);
  if (first >= 97 && first <= 122) return slips.get(word);
  const accented = slips.get(word.toLowerCase());
  if (!accented) return undefined;
  if (!startsSentence(text, at)) return undefined;
  return word === word.toUpperCase() && word.length > 1
    ? accented.toUpperCase()
    : accented.charAt(0).toUpperCase() + accented.slice(1);
}

function startsSentence(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text.charAt(i))) i--;
  return i < 0 || OPENERS.has(text.charAt(i));
}
