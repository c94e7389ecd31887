import type { OutboxMessageResolvers } from '../__generated__/resolvers-types.js';
import { publicId } from '../ids.js';

export const OutboxMessage: OutboxMessageResolvers = {
  id: (message, _args, ctx) => publicId(ctx, 'outbox-message', message.id),
  subject: (message) => message.content.subject,
};
