import { networkStatementsFlat, statementsFlat } from '../report.js';
import { countNetworkStatements, countStatements, FREE_RESOURCES } from '../statements.js';
import type { BenchSection } from './context.js';

/**
 * Section 4: the SQL statements of one directory request, as the partner holds more spaces, and
 * of the coordinators' pass pages, as the network holds more passes.
 */
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
    console.error(
      `counting SQL statements of the console's pass pages at ${options.statementPasses.join(', ')} passes`,
    );
    const networkStatements = await countNetworkStatements(databases, {
      passCounts: options.statementPasses,
      seed: options.seed,
      now,
      viewerPublicKey: viewerKeys.publicKey,
      viewerSigningKey: viewerKeys.signingKey,
    });
    for (const c of networkStatements) {
      console.error(
        `  ${c.passes} passes, ${c.request} (${c.rows} rows): ${c.statements} statements / request`,
      );
    }
    if (networkStatementsFlat(networkStatements) === false)
      fail("SQL statements of the console's pass pages grow with the number of passes");
    return { statements, networkStatements };
  },
};
