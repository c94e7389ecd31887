import { measureOutbox } from '../outbox.js';
import { statementRange } from '../report.js';
import type { BenchSection } from './context.js';

/**
 * Section 8: a partner's outbox under registrations through our gateway: the SQL a registration
 * costs with and without its mail, a dispatcher's throughput on a backlog, and the lag from a
 * mail's row to the SMTP server under load.
 */
export const outboxSection: BenchSection = {
  runs: () => 1,
  async measure(context) {
    console.error(
      `the outbox: registrations, a backlog of ${context.options.outboxBacklog}, then load`,
    );
    const outbox = await measureOutbox(context, context.options.outboxBacklog);
    for (const r of outbox.registrations) {
      console.error(
        `  ${r.registration} registration (${r.mail ? 'a mail' : 'no mail'}): ${statementRange(r)} statements / request`,
      );
    }
    const { backlog, load } = outbox;
    console.error(
      `  backlog: ${backlog.mails} mails in ${backlog.seconds.toFixed(2)} s (${(backlog.mails / backlog.seconds).toFixed(0)} / s), ${backlog.statementsPerMail.toFixed(2)} statements / mail`,
    );
    console.error(
      `  under load: ${load.mailsPerSecond.toFixed(0)} mails / s, lag p50 ${load.lagP50.toFixed(0)} ms, p99 ${load.lagP99.toFixed(0)} ms, drained ${load.drainMs} ms after the run`,
    );
    const [withMail, withoutMail] = ['member', 'waiting'].map(
      (kind) => outbox.registrations.find((r) => r.registration === kind)!.statements,
    );
    if (!(withMail!.min > withoutMail!.max))
      context.fail('outbox: a registration with its mail costs no more statements than without');
    if (load.mails === 0) context.fail('outbox: the load run registered nobody');
    return { outbox };
  },
};
