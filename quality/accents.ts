/**
 * Accents left off common Spanish words where what remains is also a word: Hunspell knows
 * `ademas` (of the verb ademar, to shore up a mine), `numero` (I number) or `sera` (a basket), so
 * a dictionary alone never flags them, though in news text they are nearly always `además`,
 * `número`, `será`. Only words whose accentless reading is rare in news are listed: pairs where
 * both are common (`esta`/`está`, `publica`/`pública`, `continua`/`continúa`, the preterites
 * `afirmo`/`afirmó`) need the sentence's grammar, which no word list has.
 */

const SLIPS: Record<string, Readonly<Record<string, string>>> = {
  es: {
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
  },
};

/** Marks after which a capital starts a sentence (or a quotation) rather than a name. */
const OPENERS = new Set([".", "!", "?", "¿", "¡", "«", "“", '"', ":", "(", "—", "-"]);

/**
 * The accented word `word` most likely lost its accent from, written in its case; undefined when
 * it is no such slip. A capitalized word inside a sentence is a name (Artur Mas), never a slip.
 */
export function accentSlip(word: string, lang: string, text: string, at: number): string | undefined {
  const slips = SLIPS[lang];
  if (!slips) return undefined;
  const lower = word.toLowerCase();
  const accented = slips[lower];
  if (!accented) return undefined;
  if (word === lower) return accented;
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
