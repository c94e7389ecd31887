import { measureEmbedded } from '../embedded.js';
import type { BenchSection } from './context.js';

/** Section 6: the embedded network's first answer on a fresh data folder, and after a restart. */
export const embeddedSection: BenchSection = {
  runs: () => 0,
  async measure({ fail }) {
    console.error('starting the embedded network on a fresh data folder, then again');
    try {
      const embedded = await measureEmbedded();
      const { firstStart, restart } = embedded;
      console.error(
        `  first answer ${(firstStart.firstAnswerMs / 1000).toFixed(1)} s, after a restart ${(restart.firstAnswerMs / 1000).toFixed(1)} s`,
      );
      return { embedded };
    } catch (error) {
      const embedded = { error: error instanceof Error ? error.message : String(error) };
      fail(`embedded network: ${embedded.error}`);
      return { embedded };
    }
  },
};
