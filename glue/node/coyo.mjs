// The coyo profile: RS256 (RS512 by a key declaring it) with jku (COYO's "JWT token
// security"). Glue, as an integrator following the seed writes it around a library with no
// jku support: read the header and the claimed iss with the library's decoder
// (`lib.decodeComplete`); built-in keys first, then keys registered under an issuer pattern
// matching iss, then the jku — checked against the allowlist before any fetch (WHATWG URL:
// https and an allowlisted origin), fetched through the protocol at its parsed
// serialization, the key chosen by kid — and the library's verifyWith with the chosen key.

function coyoPattern(p) {
  let source = p;
  let flags = '';
  const m = /^\/(.*)\/([a-z]*)$/s.exec(p);
  if (m) {
    source = m[1];
    flags = m[2];
  }
  if (!/^i?$/.test(flags)) throw new Error(`flags ${JSON.stringify(flags)}: only i is supported`);
  new RegExp(source, flags); // must compile on its own
  // The issuer pattern is matched against the whole iss (JwkStore: "match 'iss' issuer claim").
  return new RegExp(`^(?:${source})$`, flags);
}

// verifyCoyo(input, context, now, state) over the library `lib` (README.md, the contract).
export function coyoProfile(lib) {
  const { name: library, Reject, accept, cachedJwks, importKeys, candidatesFor, fits, baseOptions, verifyWith } = lib;

  function coyoConfig(state, context) {
    const id = JSON.stringify(context);
    if (state.coyoFor === id) return state.coyo;
    const notes = [];
    const builtin = importKeys(context.builtin, notes);
    const issuers = [];
    for (const entry of context.issuers || []) {
      let re;
      try {
        re = coyoPattern(entry.pattern);
      } catch (e) {
        notes.push(`issuer pattern ${JSON.stringify(entry.pattern)} refused: ${e.message}`);
        continue;
      }
      issuers.push({ re, keys: importKeys(entry.keys, notes) });
    }
    const origins = [];
    for (const a of context.jku_allowlist || []) {
      try {
        origins.push(new URL(a).origin);
      } catch (e) {
        notes.push(`allowlist entry ${JSON.stringify(a)} refused: ${e.message}`);
      }
    }
    state.coyoFor = id;
    state.coyo = { builtin, issuers, origins, notes };
    return state.coyo;
  }

  return async function verifyCoyo(input, context, now, state) {
    const cfg = coyoConfig(state, context);
    const token = input.token;
    // The claimed iss, unverified, chooses the registered keys (JwkStore's issuer regex).
    let claimed;
    try {
      claimed = lib.decodeComplete(token);
    } catch (e) {
      claimed = null;
    }
    const iss = claimed && claimed.payload && typeof claimed.payload === 'object' ? claimed.payload.iss : undefined;
    // coyo.alg: RS256, or RS512 by a key that declares it (COYO's built-in keys are RS512).
    const alg = claimed && claimed.header && claimed.header.alg === 'RS512' ? 'RS512' : 'RS256';
    const candidates512 = (keys, header) => candidatesFor(keys, header, alg).filter((k) => alg === 'RS256' || (k.jwk && k.jwk.alg === 'RS512'));
    // getKey: the key sources in the seed's order. The libraries call it before they check
    // the algorithm (so a jku is looked up for a token whose alg they will then refuse).
    const select = async (header) => {
      // 1. built-in keys, no network.
      let candidates = candidates512(cfg.builtin, header);
      if (candidates.length) return candidates;
      // 2. keys registered under a pattern that matches iss.
      if (typeof iss === 'string') {
        for (const { re, keys } of cfg.issuers) {
          if (re.test(iss)) candidates.push(...candidates512(keys, header));
        }
      }
      if (candidates.length) return candidates;
      // 3. the jku, checked against the allowlist before any fetch ("a plug-in MUST check
      // the public key download URL ('jku' header claim) against a whitelist").
      if (!header || typeof header !== 'object' || header.jku === undefined) return [];
      if (typeof header.jku !== 'string') throw new Reject('malformed', 'jku is not a string');
      let url;
      try {
        url = new URL(header.jku);
      } catch (e) {
        throw new Reject('jku_not_allowed', `jku ${JSON.stringify(header.jku)} is not an absolute URL`);
      }
      if (url.protocol !== 'https:' || !cfg.origins.includes(url.origin)) {
        throw new Reject('jku_not_allowed', `jku origin ${url.origin} (${url.protocol}) is not on the allowlist [${cfg.origins.join(', ')}]`);
      }
      const keys = await cachedJwks(state, url.href, now, header.kid, (k) => fits(k, alg), true);
      candidates = candidates512(keys, header);
      if (candidates.length === 0) throw new Reject('key_unknown', `the set at ${url.href} has no usable ${alg} key for kid ${JSON.stringify(header.kid)}`);
      return candidates;
    };
    const r = await verifyWith(token, select, baseOptions([alg], now, 0));
    const claims = r.payload;
    if (claims === null || typeof claims !== 'object') {
      throw new Reject('malformed', `${library} accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
    }
    if (claims.iss === undefined || claims.iss === null) throw new Reject('claim_missing', 'iss missing');
    if (typeof claims.iss !== 'string') throw new Reject('claim_invalid', 'iss is not a string');
    const out = { iss: claims.iss };
    if (claims.sub !== undefined) {
      if (typeof claims.sub !== 'string') throw new Reject('claim_invalid', 'sub is not a string');
      out.sub = claims.sub;
    }
    return accept(out);
  };
}
