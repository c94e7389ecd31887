/**
 * French typography for every text the page shows: one apostrophe (’), a no-break space before
 * ":" and inside « », a narrow no-break space before ";", "!" and "?". Applied where text
 * enters the page (dom.ts), to our words and to the partners' data alike.
 */
export function french(text: string): string {
  return text
    .replace(/(\p{L})'(?=\p{L})/gu, '$1’')
    .replace(/ ([;!?])(?=\s|$)/g, '\u202f$1')
    .replace(/ :(?=\s|$)/g, '\u00a0:')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
}
