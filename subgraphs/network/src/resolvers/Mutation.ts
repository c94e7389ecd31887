import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import {
  actingPerson,
  assertAllowed,
  canChooseMessagesOf,
  canCreatePassProducts,
  canEditOwnAccount,
  canGrantRole,
  canGrantRoles,
  canInvite,
  canSignIn,
  canIssuePasses,
  canIssuePassesOf,
  canManageRegistry,
  canRedeemAt,
  canRedeemPasses,
  canVoidRedemptions,
  recordedBy,
} from '../access.js';
import type { Context } from '../context.js';
import { recordPartnerCheck } from '../data/partner-checks.js';
import * as partnerData from '../data/partners.js';
import * as passData from '../data/passes.js';
import { setPassMessagePreference } from '../data/message-preferences.js';
import { readPassUnsubscribeToken } from '../mail/passes.js';
import * as peopleData from '../data/people.js';
import { createProduct } from '../data/products.js';
import { updateProduct } from '../data/reports.js';
import type { PartnerCheckRow, PartnerRow } from '../db/schema.js';
import { BadInputError, userError, type NetworkUserError } from '../errors.js';
import { parseNetworkId, parsePartnerId, parsePersonId, personId } from '../ids.js';
import { passBookingMutations } from './pass-booking-mutations.js';
import {
  checked,
  displayName,
  invitation,
  newPartner,
  newProduct,
  productChanges,
  partnerChanges,
  redemption,
  roleGrant,
  signInIdentity,
  voidReason,
} from './inputs.js';

function unknownPartner(slug: string, field: string): NetworkUserError {
  return userError('UNKNOWN_PARTNER', `The network has no partner "${slug}"`, field);
}

/** Every named partner is registered, or the error naming the first that is not. */
async function registered(
  ctx: Context,
  slugs: { slug: string; field: string }[],
): Promise<NetworkUserError | null> {
  const found = await ctx.loaders.partnerBySlug.loadMany(slugs.map((s) => s.slug));
  const missing = slugs.find((_s, i) => !found[i] || found[i] instanceof Error);
  return missing ? unknownPartner(missing.slug, missing.field) : null;
}

function unknownPerson(field: string): NetworkUserError {
  return userError(
    'UNKNOWN_PERSON',
    'The network has no open account with this id or email',
    field,
  );
}

function lastCoordinator(): NetworkUserError {
  return userError('LAST_COORDINATOR', 'The network would be left without a coordinator');
}

/** An open account by its uuid, through the request's loader. */
async function openPerson(ctx: Context, uuid: string) {
  const person = await ctx.loaders.personById.load(uuid);
  return person?.closedAt === null ? person : null;
}

function describeRole(grant: { role: string; partnerSlug: string | null }): string {
  return grant.partnerSlug ? `${grant.role} at ${grant.partnerSlug}` : grant.role;
}

function partnerPayload(partner: PartnerRow | null, slug: string, field: string) {
  return partner ? { partner, error: null } : { partner: null, error: unknownPartner(slug, field) };
}

/** How many missing contract parts a check keeps (what `PartnerCheck.missing` promises). */
const MISSING_KEPT = 500;

/** How many missing contract parts a refusal's message names; the check lists them all. */
const MISSING_IN_MESSAGE = 10;

/**
 * Calls the subgraph at `url` and records the check under `slug`, whatever its outcome: a
 * refused registration or change of URL leaves its check behind, and nothing else.
 */
async function checkSubgraph(
  ctx: Context,
  slug: string,
  url: string,
): Promise<{ check: PartnerCheckRow; error: NetworkUserError | null }> {
  const outcome = await ctx.checkPartner(url);
  const failure = outcome.outcome === 'conforms' ? null : outcome;
  const check = await recordPartnerCheck(ctx.db, {
    partnerSlug: slug,
    subgraphUrl: url,
    checkedAt: new Date(),
    ok: failure === null,
    latencyMs: outcome.latencyMs,
    error: failure?.error ?? null,
    missing: failure?.outcome === 'nonconforming' ? failure.missing.slice(0, MISSING_KEPT) : [],
  });
  if (!failure) return { check, error: null };
  if (failure.outcome === 'unreachable') {
    return {
      check,
      error: userError(
        'PARTNER_UNREACHABLE',
        `The subgraph at ${url} ${failure.error}`,
        'input.subgraphUrl',
      ),
    };
  }
  const named = failure.missing.slice(0, MISSING_IN_MESSAGE).join('; ');
  const more = failure.missing.length - MISSING_IN_MESSAGE;
  return {
    check,
    error: userError(
      'PARTNER_NONCONFORMING',
      `The subgraph at ${url} ${failure.error}${named ? `: ${named}` : ''}${more > 0 ? ` and ${more} more` : ''}`,
      'input.subgraphUrl',
    ),
  };
}

const REDEEM_MESSAGES: Record<
  passData.RedeemRefusal,
  (o: { pass?: { entriesLeft: number }; needed?: number }) => string
> = {
  UNKNOWN_CODE: () => 'No pass has this code',
  NOT_VALID_AT_SPACE: () => 'This pass is not valid at this space',
  PARTNER_SUSPENDED: () => 'The partner running this space is suspended and takes no passes',
  STARTED_BEFORE_ISSUE: () => 'The visit started before the pass was issued',
  EXPIRED: () => 'The pass expired before the visit started',
  NOT_ENOUGH_ENTRIES: (o) =>
    `The visit needs ${o.needed} entries and the pass has ${o.pass?.entriesLeft} left`,
  IDEMPOTENCY_KEY_REUSED: () => 'This idempotency key was already used for a different redemption',
};

const REDEEM_FIELDS: Partial<Record<passData.RedeemRefusal, string>> = {
  UNKNOWN_CODE: 'input.code',
  NOT_VALID_AT_SPACE: 'input.spaceId',
  PARTNER_SUSPENDED: 'input.spaceId',
  STARTED_BEFORE_ISSUE: 'input.startedAt',
  EXPIRED: 'input.startedAt',
  NOT_ENOUGH_ENTRIES: 'input.minutes',
  IDEMPOTENCY_KEY_REUSED: 'input.idempotencyKey',
};

export const Mutation: MutationResolvers = {
  ...passBookingMutations,
  registerPartner: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canManageRegistry(ctx.viewer), 'register partners');
    const values = checked(() => newPartner(input));
    if (!values.ok) return { partner: null, error: values.error };
    const { slug, subgraphUrl } = values.value;
    const slugTaken = () => userError('SLUG_TAKEN', `Another partner is "${slug}"`, 'input.slug');
    const networkFull = () =>
      userError('NETWORK_FULL', 'The network holds the most partners it can (100)');
    if (await ctx.loaders.partnerBySlug.load(slug)) return { partner: null, error: slugTaken() };
    // Refused before the partner is called, so that a full network records no check.
    if (await partnerData.isNetworkFull(ctx.db)) return { partner: null, error: networkFull() };
    const { check, error } = await checkSubgraph(ctx, slug, subgraphUrl);
    if (error) return { partner: null, error, check };
    const result = await partnerData.createPartner(ctx.db, values.value);
    if (result.ok) return { partner: result.partner, error: null, check };
    return {
      partner: null,
      error: result.reason === 'NETWORK_FULL' ? networkFull() : slugTaken(),
      check,
    };
  },

  updatePartner: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canManageRegistry(ctx.viewer), 'update partners');
    const changes = checked(() => partnerChanges(input));
    if (!changes.ok) return { partner: null, error: changes.error };
    let check: PartnerCheckRow | null = null;
    if (changes.value.subgraphUrl) {
      if (!(await ctx.loaders.partnerBySlug.load(input.slug)))
        return partnerPayload(null, input.slug, 'input.slug');
      const verdict = await checkSubgraph(ctx, input.slug, changes.value.subgraphUrl);
      if (verdict.error) return { partner: null, error: verdict.error, check: verdict.check };
      check = verdict.check;
    }
    const row = await partnerData.updatePartner(ctx.db, {
      slug: input.slug,
      changes: changes.value,
    });
    return { ...partnerPayload(row, input.slug, 'input.slug'), check };
  },

  suspendPartner: async (_parent, { slug }, ctx) => {
    assertAllowed(ctx.viewer, canManageRegistry(ctx.viewer), 'suspend partners');
    const row = await partnerData.updatePartner(ctx.db, { slug, changes: { status: 'SUSPENDED' } });
    return partnerPayload(row, slug, 'slug');
  },

  reactivatePartner: async (_parent, { slug }, ctx) => {
    assertAllowed(ctx.viewer, canManageRegistry(ctx.viewer), 'reactivate partners');
    const row = await partnerData.updatePartner(ctx.db, { slug, changes: { status: 'ACTIVE' } });
    return partnerPayload(row, slug, 'slug');
  },

  createPassProduct: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canCreatePassProducts(ctx.viewer), 'create pass products');
    const product = checked(() => newProduct(input));
    if (!product.ok) return { passProduct: null, error: product.error };
    const { values, spaces } = product.value;
    const named = [
      ...(values.sellerSlug ? [{ slug: values.sellerSlug, field: 'input.sellerSlug' }] : []),
      ...spaces.map((s, i) => ({ slug: s.hostSlug, field: `input.validAtSpaceIds.${i}` })),
    ];
    const unknown = await registered(ctx, named);
    if (unknown) return { passProduct: null, error: unknown };
    return { passProduct: await createProduct(ctx.db, { values, spaces }), error: null };
  },

  updatePassProduct: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canCreatePassProducts(ctx.viewer), 'change pass products');
    const productUuid = parseNetworkId(input.id, 'pass-product');
    if (!productUuid)
      return {
        passProduct: null,
        error: userError('INVALID_INPUT', 'input.id is not a pass product id', 'input.id'),
      };
    const changes = checked(() => productChanges(input));
    if (!changes.ok) return { passProduct: null, error: changes.error };
    const row = await updateProduct(ctx.db, productUuid, changes.value);
    if (!row)
      return {
        passProduct: null,
        error: userError('UNKNOWN_PRODUCT', `No pass product ${input.id}`, 'input.id'),
      };
    return { passProduct: row, error: null };
  },

  issuePass: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canIssuePasses(ctx.viewer), 'issue passes');
    const none = { pass: null };
    const productUuid = parseNetworkId(input.productId, 'pass-product');
    if (!productUuid) {
      return {
        ...none,
        error: userError(
          'INVALID_INPUT',
          'input.productId is not a pass product id',
          'input.productId',
        ),
      };
    }
    const product = await ctx.loaders.productById.load(productUuid);
    if (!product) {
      return {
        ...none,
        error: userError(
          'UNKNOWN_PRODUCT',
          `No pass product ${input.productId}`,
          'input.productId',
        ),
      };
    }
    assertAllowed(
      ctx.viewer,
      canIssuePassesOf(ctx.viewer, product),
      'issue passes of this product',
    );
    let holderId: string | null = null;
    if (input.holderId != null) {
      const holder = parsePartnerId(input.holderId, 'member');
      if (!holder) {
        return {
          ...none,
          error: userError('INVALID_INPUT', 'input.holderId is not a member id', 'input.holderId'),
        };
      }
      const unknown = await registered(ctx, [{ slug: holder.partner, field: 'input.holderId' }]);
      if (unknown) return { ...none, error: unknown };
      holderId = holder.id;
    }
    let holderPersonId: string | null = null;
    if (input.holderPersonId != null) {
      const uuid = parsePersonId(input.holderPersonId);
      if (!uuid) {
        return {
          ...none,
          error: userError(
            'INVALID_INPUT',
            'input.holderPersonId is not a person id',
            'input.holderPersonId',
          ),
        };
      }
      if (!(await openPerson(ctx, uuid)))
        return { ...none, error: unknownPerson('input.holderPersonId') };
      holderPersonId = uuid;
    }
    if (product.sellerSlug) {
      const seller = await ctx.loaders.partnerBySlug.load(product.sellerSlug);
      if (seller?.status !== 'ACTIVE') {
        return {
          ...none,
          error: userError(
            'PARTNER_SUSPENDED',
            `${product.sellerSlug} is suspended and sells no pass`,
          ),
        };
      }
    }
    const pass = await passData.issuePass(ctx.db, {
      product,
      holderId,
      holderPersonId,
      now: ctx.now,
      mail: ctx.mail,
    });
    return { pass: { ...pass, codeRevealed: true }, error: null };
  },

  redeemPass: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canRedeemPasses(ctx.viewer), 'redeem passes');
    const visit = checked(() => redemption(input, ctx.now));
    if (!visit.ok) return { redemption: null, error: visit.error };
    assertAllowed(ctx.viewer, canRedeemAt(ctx.viewer, visit.value), 'redeem passes at this space');
    const outcome = await passData.redeemPass(ctx.db, {
      ...visit.value,
      now: ctx.now,
      recordedBy: recordedBy(ctx.viewer),
      mail: ctx.mail,
    });
    if (outcome.ok) return { redemption: outcome.redemption, error: null };
    const code = outcome.reason === 'STARTED_BEFORE_ISSUE' ? 'INVALID_INPUT' : outcome.reason;
    return {
      redemption: null,
      error: userError(
        code,
        REDEEM_MESSAGES[outcome.reason](outcome),
        REDEEM_FIELDS[outcome.reason],
      ),
    };
  },

  voidRedemption: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canVoidRedemptions(ctx.viewer), 'void redemptions');
    const uuid = parseNetworkId(input.redemptionId, 'redemption');
    if (!uuid) {
      return {
        redemption: null,
        error: userError(
          'INVALID_INPUT',
          'input.redemptionId is not a redemption id',
          'input.redemptionId',
        ),
      };
    }
    const reason = checked(() => voidReason(input.reason));
    if (!reason.ok) return { redemption: null, error: reason.error };
    const outcome = await passData.voidRedemption(ctx.db, {
      redemptionId: uuid,
      reason: reason.value,
      now: ctx.now,
      recordedBy: recordedBy(ctx.viewer),
    });
    if (outcome.ok) return { redemption: outcome.redemption, error: null };
    const error =
      outcome.reason === 'VOIDED'
        ? userError('VOIDED', 'This redemption is already voided', 'input.redemptionId')
        : userError(
            'UNKNOWN_REDEMPTION',
            `No redemption ${input.redemptionId}`,
            'input.redemptionId',
          );
    return { redemption: null, error };
  },

  grantRole: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canGrantRoles(ctx.viewer), 'grant roles');
    const asked = checked(() => roleGrant(input));
    if (!asked.ok) return { grant: null, error: asked.error };
    const { personUuid, email, ...role } = asked.value;
    assertAllowed(ctx.viewer, canGrantRole(ctx.viewer, role), `grant ${describeRole(role)}`);
    if (role.partnerSlug) {
      const unknown = await registered(ctx, [{ slug: role.partnerSlug, field: 'input.partner' }]);
      if (unknown) return { grant: null, error: unknown };
    }
    const person = personUuid
      ? await openPerson(ctx, personUuid)
      : await peopleData.findOpenPersonByEmail(ctx.db, email!);
    if (!person)
      return {
        grant: null,
        error: unknownPerson(personUuid ? 'input.personId' : 'input.email'),
      };
    const outcome = await peopleData.grantRole(ctx.db, {
      ...role,
      personId: person.id,
      grantedBy: actingPerson(ctx.viewer),
      now: ctx.now,
    });
    if (outcome.ok) return { grant: outcome.grant, error: null };
    return {
      grant: null,
      error: userError(
        'ALREADY_GRANTED',
        `The person already holds ${describeRole(role)}`,
        'input.role',
      ),
    };
  },

  revokeRole: async (_parent, { grantId }, ctx) => {
    assertAllowed(ctx.viewer, canGrantRoles(ctx.viewer), 'revoke roles');
    const uuid = parseNetworkId(grantId, 'role-grant');
    if (!uuid) {
      return {
        grant: null,
        error: userError('INVALID_INPUT', 'grantId is not a role grant id', 'grantId'),
      };
    }
    const grant = await peopleData.getGrantById(ctx.db, uuid);
    if (!grant) {
      return {
        grant: null,
        error: userError('UNKNOWN_GRANT', `No role grant ${grantId}`, 'grantId'),
      };
    }
    assertAllowed(ctx.viewer, canGrantRole(ctx.viewer, grant), `revoke ${describeRole(grant)}`);
    const outcome = await peopleData.revokeRole(ctx.db, {
      grantId: uuid,
      revokedBy: actingPerson(ctx.viewer),
      now: ctx.now,
    });
    if (outcome.ok) return { grant: outcome.grant, error: null };
    const error = {
      UNKNOWN_GRANT: () => userError('UNKNOWN_GRANT', `No role grant ${grantId}`, 'grantId'),
      ALREADY_REVOKED: () =>
        userError('ALREADY_REVOKED', 'This grant is already revoked', 'grantId'),
      LAST_COORDINATOR: lastCoordinator,
    }[outcome.reason]();
    return { grant: null, error };
  },

  invitePerson: async (_parent, { input }, ctx) => {
    assertAllowed(ctx.viewer, canGrantRoles(ctx.viewer), 'invite people');
    const none = { person: null, grant: null };
    const asked = checked(() => invitation(input));
    if (!asked.ok) return { ...none, error: asked.error };
    const { role, partnerSlug } = asked.value;
    assertAllowed(
      ctx.viewer,
      canInvite(ctx.viewer, asked.value),
      role
        ? `invite someone as ${describeRole({ role, partnerSlug })}`
        : 'invite someone without a role',
    );
    if (partnerSlug) {
      const unknown = await registered(ctx, [{ slug: partnerSlug, field: 'input.partner' }]);
      if (unknown) return { ...none, error: unknown };
    }
    const outcome = await peopleData.invitePerson(ctx.db, {
      ...asked.value,
      invitedBy: actingPerson(ctx.viewer)!,
      now: ctx.now,
    });
    if (outcome.ok) return { person: outcome.person, grant: outcome.grant, error: null };
    return {
      ...none,
      error: userError('EMAIL_TAKEN', 'An open account already has this email', 'input.email'),
    };
  },

  setPassMessagePreference: async (_parent, { input }, ctx) => {
    const person = parsePersonId(input.personId);
    assertAllowed(
      ctx.viewer,
      canChooseMessagesOf(ctx.viewer, person),
      "choose another person's messages",
    );
    await setPassMessagePreference(ctx.db, {
      personId: person!,
      kind: input.kind,
      subscribed: input.subscribed,
    });
    return { preference: { kind: input.kind, subscribed: input.subscribed }, error: null };
  },

  // Anyone holding the link: the token is the permission, as the mail's recipient's.
  unsubscribeFromPassMessage: async (_parent, { input }, ctx) => {
    const signed = readPassUnsubscribeToken(ctx.mail, input.token);
    const holder = signed ? await ctx.loaders.personById.load(signed.personUuid) : null;
    if (!signed || !holder || holder.closedAt) {
      return {
        kind: null,
        error: userError('INVALID_TOKEN', 'This link is not valid', 'input.token'),
      };
    }
    await setPassMessagePreference(ctx.db, {
      personId: signed.personUuid,
      kind: signed.kind,
      subscribed: false,
    });
    return { kind: signed.kind, error: null };
  },

  updateMyProfile: async (_parent, args, ctx) => {
    assertAllowed(ctx.viewer, canEditOwnAccount(ctx.viewer), 'change a profile');
    const name = checked(() => displayName(args.displayName, 'displayName'));
    if (!name.ok) return { person: null, error: name.error };
    const person = await peopleData.updateDisplayName(ctx.db, {
      personId: actingPerson(ctx.viewer)!,
      displayName: name.value,
    });
    return person ? { person, error: null } : { person: null, error: unknownPerson('displayName') };
  },

  closeMyAccount: async (_parent, _args, ctx) => {
    assertAllowed(ctx.viewer, canEditOwnAccount(ctx.viewer), 'close an account');
    const outcome = await peopleData.closeAccount(ctx.db, {
      personId: actingPerson(ctx.viewer)!,
      now: ctx.now,
    });
    if (outcome.ok) return { person: outcome.person, error: null };
    return {
      person: null,
      error: outcome.reason === 'LAST_COORDINATOR' ? lastCoordinator() : unknownPerson('me'),
    };
  },

  signIn: async (_parent, args, ctx) => {
    assertAllowed(ctx.viewer, canSignIn(ctx.viewer), 'resolve sign-ins');
    const identity = checked(() => signInIdentity(args.identity));
    if (!identity.ok)
      throw new BadInputError(identity.error.message, identity.error.field ?? 'identity');
    const { person, grants } = await peopleData.signIn(ctx.db, identity.value, ctx.now);
    const slugs = (role: string) =>
      grants.flatMap((g) => (g.role === role && g.partnerSlug ? [g.partnerSlug] : []));
    return {
      personId: personId(person.id),
      coordinator: grants.some((g) => g.role === 'COORDINATOR'),
      manages: slugs('MANAGER'),
      staffs: slugs('STAFF'),
    };
  },
};
