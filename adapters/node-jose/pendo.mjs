// The pendo profile of the node-jose adapter (Pendo, HS256 signed metadata): the
// subscription's key ring, modes and dedupe, and the identity read off the event.

import { currentDate } from './clock.mjs';
import { Reject, accept } from './errors.mjs';
import { jose } from './library.mjs';

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

const PENDO_MAX_ACTIVE = 5;

/** The identity of a verified claims set or of plain metadata (Pendo's snippet). */
function pendoIdentity(claims, signed) {
  const { visitor, account } = claims ?? {};
  if (visitor !== undefined && !isPlainObject(visitor)) {
    throw new Reject('claim_invalid', 'visitor is not an object');
  }
  if (account !== undefined && !isPlainObject(account)) {
    throw new Reject('claim_invalid', 'account is not an object');
  }
  const out = { anonymous: true, signed };
  if (visitor?.id !== undefined) {
    // "id: 'VISITOR-UNIQUE-ID' // Required if user is logged in, must be a string"
    if (typeof visitor.id !== 'string') {
      throw new Reject('claim_invalid', `visitor.id is ${JSON.stringify(visitor.id)}, not a string`);
    }
    out.visitor_id = visitor.id;
    out.anonymous = false;
  }
  if (account?.id !== undefined) out.account_id = account.id;
  return out;
}

export async function pendo(input, context, now, state, notes) {
  state.revoked ??= new Set();
  state.seen ??= new Set();
  // The subscription's key ring: revocation is permanent ("This cannot be undone"), at
  // most five active keys ("You can create up to five keys").
  for (const name of context.revoked ?? []) state.revoked.add(name);
  const active = new Map();
  for (const k of context.keys ?? []) {
    if (state.revoked.has(k.kid)) {
      notes.push(`configuration: key ${k.kid} is revoked and stays revoked`);
    } else if (active.size >= PENDO_MAX_ACTIVE) {
      notes.push(`configuration: key ${k.kid} refused: at most ${PENDO_MAX_ACTIVE} active keys`);
    } else {
      active.set(k.kid, k);
    }
  }
  const mode = context.mode;
  if (!['disabled', 'allow', 'only_signed'].includes(mode)) throw new Error(`context.mode ${mode}`);
  const event = input.event;
  if (!isPlainObject(event)) throw new Error('input.event is not an object');
  const hasJwt = event.jwt !== undefined;
  const hasName = event.signingKeyName !== undefined;
  let identity;
  if (mode === 'disabled' && hasJwt) {
    throw new Reject('signed_not_accepted', '"Use signed metadata" is disabled: an event with a jwt is not accepted');
  }
  if (hasJwt !== hasName) {
    throw new Reject('malformed', 'the event must have both jwt and signingKeyName');
  }
  if (hasJwt) {
    if (typeof event.jwt !== 'string' || typeof event.signingKeyName !== 'string') {
      throw new Reject('malformed', 'jwt and signingKeyName must be strings');
    }
    const name = event.signingKeyName;
    if (state.revoked.has(name)) throw new Reject('key_revoked', `key ${name} is revoked`);
    const jwk = active.get(name);
    if (!jwk) throw new Reject('key_unknown', `no active key named ${JSON.stringify(name)}`);
    const secret = await jose.importJWK(jwk, 'HS256');
    const { payload } = await jose.jwtVerify(event.jwt, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['nonce'],
      currentDate: currentDate(now),
    });
    identity = pendoIdentity(payload, true);
  } else {
    if (mode === 'only_signed') {
      throw new Reject('unsigned_rejected', '"Only allow signed metadata": an event without a jwt is dropped');
    }
    identity = pendoIdentity(event.metadata, false);
  }
  // "Pendo will drop any duplicate events it receives": by event id, accepted events only.
  if (state.seen.has(event.id)) throw new Reject('duplicate_event', `event ${JSON.stringify(event.id)} was seen`);
  state.seen.add(event.id);
  return accept(identity);
}
