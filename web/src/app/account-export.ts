/**
 * The data export of "Mon espace" ("Télécharger mes données"): everything the network holds on
 * the signed-in person, the passes paged through to the last one. Runs in the browser and in
 * Node (tested against a real gateway), with whatever sends the operations.
 */
import type { MyDataPassesQuery, MyDataQuery } from '../__generated__/graphql.js';
import { MY_DATA, MY_DATA_PASSES } from '../graphql/account-operations.js';
import type { Answer, AnswerError, Operation } from '../graphql/client.js';

export type Send = <Result, Variables>(
  op: Operation<Result, Variables>,
  variables: Variables,
) => Promise<Answer<Result>>;

type Pass = NonNullable<MyDataPassesQuery['me']>['passes'][number];
export type ExportedPerson = NonNullable<MyDataQuery['me']> & { passes: Pass[] };

export interface MyDataExport {
  me: ExportedPerson | null;
  errors: AnswerError[];
}

/** The passes asked for at a time (what `Person.passes` gives by default). */
export const PASS_PAGE = 20;

/**
 * The person's data: `MY_DATA`, then the passes a page at a time until a page comes back
 * short. A page that brings no pass not seen yet ends it too, so an answer that ignores the
 * offset cannot loop. Errors of every answer are kept, for the file to name what is missing.
 */
export async function exportMyData(send: Send, pageSize = PASS_PAGE): Promise<MyDataExport> {
  const answer = await send(MY_DATA, {});
  const errors = [...answer.errors];
  const me = answer.data?.me;
  if (!me) return { me: null, errors };
  const passes = new Map<string, Pass>();
  for (let offset = 0; ; offset += pageSize) {
    const page = await send(MY_DATA_PASSES, { first: pageSize, offset });
    errors.push(...page.errors);
    const found = page.data?.me?.passes ?? [];
    const before = passes.size;
    for (const pass of found) passes.set(pass.id, pass);
    if (found.length < pageSize || passes.size === before) break;
  }
  return { me: { ...me, passes: [...passes.values()] }, errors };
}
