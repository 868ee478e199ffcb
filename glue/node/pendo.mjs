// The pendo profile: HS256 signed metadata (Pendo's "Snippet Installation using Signed
// Metadata with JWT"). Glue: the subscription (mode, at most five active keys, permanent
// revocation, dedupe by event id), signingKeyName selecting the key, the top-level nonce,
// visitor/account. The token goes to the library's verifyWith with the secret as the text
// Pendo shows (JWT.sign(…, 'JWT-SECRET-KEY')) and HS256 as the one algorithm.

const PENDO_MAX_KEYS = 5;

// verifyPendo(input, context, now, state) over the library `lib` (README.md, the contract).
export function pendoProfile(lib) {
  const { name: library, Reject, ConfigError, accept, b64urlBytes, baseOptions, verifyWith } = lib;

  function pendoConfigure(state, context, notes) {
    state.revoked ??= new Set();
    state.seen ??= new Set();
    for (const name of context.revoked || []) state.revoked.add(name);
    state.mode = context.mode;
    if (!['disabled', 'allow', 'only_signed'].includes(state.mode)) {
      throw new ConfigError(`context.mode ${JSON.stringify(state.mode)} is not disabled, allow or only_signed`);
    }
    state.active = new Map();
    for (const jwk of context.keys || []) {
      const name = jwk && jwk.kid;
      if (typeof name !== 'string') { notes.push('a key without a name (kid) refused'); continue; }
      if (state.revoked.has(name)) { notes.push(`key ${name} refused: revoked, and revocation cannot be undone`); continue; }
      if (state.active.size >= PENDO_MAX_KEYS) { notes.push(`key ${name} refused: Pendo allows at most ${PENDO_MAX_KEYS} keys`); continue; }
      if (jwk.kty !== 'oct' || typeof jwk.k !== 'string') { notes.push(`key ${name} refused: not an oct JWK`); continue; }
      state.active.set(name, b64urlBytes(jwk.k).toString('utf8'));
    }
  }

  function pendoIdentity(data, signed) {
    const out = { anonymous: true, signed };
    for (const section of ['visitor', 'account']) {
      const v = data[section];
      if (v === undefined) continue;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        throw new Reject('claim_invalid', `${section} is not an object`);
      }
      if (v.id === undefined) continue;
      if (section === 'visitor') {
        // "Required if user is logged in, must be a string".
        if (typeof v.id !== 'string') throw new Reject('claim_invalid', `visitor.id is ${JSON.stringify(v.id)}, not a string`);
        out.visitor_id = v.id;
        out.anonymous = false;
      } else {
        out.account_id = v.id; // the seed gives account.id no type
      }
    }
    return out;
  }

  return async function verifyPendo(input, context, now, state) {
    const notes = [];
    pendoConfigure(state, context, notes);
    const event = input.event;
    if (!event || typeof event !== 'object' || Array.isArray(event)) throw new Reject('malformed', 'event is not an object');
    if (typeof event.id !== 'string') throw new Reject('malformed', 'event.id is not a string (duplicates are dropped by id)');
    const hasJwt = 'jwt' in event;
    const hasName = 'signingKeyName' in event;
    let out;
    if (hasJwt && state.mode === 'disabled') {
      throw new Reject('signed_not_accepted', '"Use signed metadata" is disabled: events with a JWT are not accepted');
    }
    if (!hasJwt && !hasName) {
      if (state.mode === 'only_signed') throw new Reject('unsigned_rejected', '"Only allow signed metadata": the event has no JWT');
      const md = event.metadata === undefined ? {} : event.metadata;
      if (md === null || typeof md !== 'object' || Array.isArray(md)) throw new Reject('malformed', 'event.metadata is not an object');
      out = pendoIdentity(md, false);
    } else {
      if (!hasJwt) throw new Reject('malformed', 'signingKeyName without jwt');
      if (!hasName) throw new Reject('malformed', 'jwt without signingKeyName ("must have both jwt and signingKeyName")');
      if (typeof event.jwt !== 'string') throw new Reject('malformed', 'jwt is not a string');
      const name = event.signingKeyName;
      if (typeof name !== 'string') throw new Reject('malformed', 'signingKeyName is not a string');
      const r = await verifyWith(event.jwt, () => {
        const secret = state.active.get(name);
        if (secret !== undefined) return [{ kid: name, key: secret }];
        if (state.revoked.has(name)) throw new Reject('key_revoked', `key ${name} was revoked`);
        throw new Reject('key_unknown', `no active key named ${JSON.stringify(name)} (${[...state.active.keys()].join(', ') || 'none'})${notes.length ? `; ${notes.join('; ')}` : ''}`);
      }, baseOptions(['HS256'], now, 0));
      const claims = r.payload;
      if (claims === null || typeof claims !== 'object') {
        // A guard (fast-jwt refuses such a payload; jsonwebtoken returns it as a string):
        // nothing to read identity from.
        throw new Reject('malformed', `${library} accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
      }
      // "A 'nonce' property must be included … at the top level … a value is required."
      if (claims.nonce === undefined || claims.nonce === null) {
        const nested = ['visitor', 'account'].some((s) => claims[s] && typeof claims[s] === 'object' && 'nonce' in claims[s]);
        throw new Reject('claim_missing', nested ? 'nonce only inside visitor/account: it must be top level' : 'nonce missing');
      }
      out = pendoIdentity(claims, true);
    }
    // "Pendo will drop any duplicate events it receives": only accepted events are remembered.
    if (state.seen.has(event.id)) throw new Reject('duplicate_event', `event ${event.id} was already received`);
    state.seen.add(event.id);
    return accept(out);
  };
}
