import { readSdl } from '../sdl.js';

/** What `olderContract()` removed, as the conformance check describes it. */
export const OLDER_CONTRACT_MISSING = [
  'Space.openingHours: missing',
  'SpaceFilter.openAt: missing',
  'EventStatus.CANCELLED: missing',
];

/**
 * The partner contract as an older version of the space subgraph served it: without
 * `Space.openingHours`, the `CANCELLED` event status and `SpaceFilter.openAt`.
 */
export function olderContract(): string {
  const removals: [RegExp, string][] = [
    [/\n\s*"""(?:(?!""")[\s\S])*"""\n\s*openingHours: [^\n]*/, 'Space.openingHours'],
    [/\n\s*"[^"\n]*"\n\s*CANCELLED\n/, 'EventStatus.CANCELLED'],
    [/\n\s*"[^"\n]*"\n\s*openAt: DateTime\n/, 'SpaceFilter.openAt'],
  ];
  let sdl = readSdl('space');
  for (const [pattern, what] of removals) {
    const before = sdl;
    sdl = sdl.replace(pattern, '\n');
    if (sdl === before) throw new Error(`the contract has no ${what} to remove`);
  }
  return sdl;
}
