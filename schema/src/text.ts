/**
 * The folding used for search and for ordering by name, the same in every subgraph and in
 * the gateway: lowercase, no diacritics, single spaces. `Les Tuves` and `les tuvés` fold alike.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/\s+/g, ' ')
    .trim();
}
