// The one palette of every chart: the SVG reports here and the web console (apps/console),
// which imports this file by relative path into a browser bundle. So: no imports at all.
//
// Okabe & Ito, "Color Universal Design" (2008): eight colours chosen to stay distinct under
// protanopia, deuteranopia and tritanopia; R's palette.colors() uses it by default since R 4.0.
// It replaces Tableau 10, whose red and green (#e15759, #59a14f) differ mainly by the hue that
// red-green colour-blind readers do not see. Colour alone still fails some readers and greyscale prints,
// so each model also gets a dash pattern (MODEL_DASHES).

/** Okabe–Ito's eight colours, by their published names. */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#e69f00',
  skyBlue: '#56b4e9',
  bluishGreen: '#009e73',
  yellow: '#f0e442',
  blue: '#0072b2',
  vermillion: '#d55e00',
  reddishPurple: '#cc79a7',
} as const;

/** The observed truth: black, which no model gets. */
export const TRUTH_COLOR = OKABE_ITO.black;

/**
 * Colours of models (and of channels) by position: the seven non-black colours, the darker
 * ones first because thin lines on white need contrast; yellow, faint on white, comes last.
 */
export const MODEL_PALETTE: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.orange,
  OKABE_ITO.yellow,
];

/**
 * Dash patterns (SVG stroke-dasharray; '' is solid) by position. Six patterns against seven
 * colours: the pairs repeat only after 42 models, and lines that coincide still show both
 * patterns. Gaps are at least 4 units so round caps of a 2-unit line do not close them.
 */
export const MODEL_DASHES: readonly string[] = ['', '8 4', '1 4', '10 4 1 4', '4 4', '14 4 1 4 1 4'];

const at = (list: readonly string[], index: number): string => {
  const i = Math.floor(index);
  if (!Number.isFinite(i)) throw new RangeError(`palette index must be a finite number, got ${index}`);
  return list[((i % list.length) + list.length) % list.length];
};

/** The colour of the model at this position of the report's model list; the same in every chart. */
export function modelColor(index: number): string {
  return at(MODEL_PALETTE, index);
}

/** The dash pattern of the model at this position ('' for solid). */
export function modelDash(index: number): string {
  return at(MODEL_DASHES, index);
}
