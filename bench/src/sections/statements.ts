import { statementsFlat } from '../report.js';
import { countStatements, FREE_RESOURCES } from '../statements.js';
import type { BenchSection } from './context.js';

/** Section 5: the SQL statements of one directory request, as the partner holds more spaces. */
export const statementsSection: BenchSection = {
  runs: () => 0,
  async measure({ options, databases, now, viewerKeys, fail }) {
    console.error(
      `counting SQL statements of the directory at ${options.statementSpaces.join(', ')} spaces`,
    );
    const statements = await countStatements(databases, {
      spaceCounts: options.statementSpaces,
      seed: options.seed,
      now,
      viewerPublicKey: viewerKeys.publicKey,
      viewerSigningKey: viewerKeys.signingKey,
    });
    for (const c of statements) {
      console.error(
        c.first === 0
          ? `  ${c.spaces} spaces, the console's figures (${c.edges} rows): ${c.statements} statements / request`
          : c.first === FREE_RESOURCES
            ? `  ${c.spaces} spaces, free resources (${c.edges} found): ${c.statements} statements / request`
            : `  ${c.spaces} spaces, page of ${c.first} (${c.edges} spaces): ${c.statements} statements / request`,
      );
    }
    if (statementsFlat(statements) === false)
      fail('SQL statements per request grow with the result');
    return { statements };
  },
};
