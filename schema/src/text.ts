/**
 * The folding used for search and for ordering by name, the same in every subgraph and in
 * the gateway: lowercase, no diacritics, punctuation as spaces, single spaces. `Buis-les-Baronnies`
 * and `buis les baronnies` fold alike, and so do `Les Tuves` and `les tuvés`.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
