// The watson profile: an RS256 identity token (IBM's "Securing the web chat"). Glue: the
// claims the seed requires (iss, sub, exp), sub as visible ASCII (it becomes a header
// field), user_payload decrypted with node-rsa (the library the seed encrypts with:
// new RSA(key).decrypt(text, 'json')), the session's pinned user id. The library's own
// options for the required claims and the issuer come from `lib.watsonOptions`.

import { createPrivateKey } from 'node:crypto';

// verifyWatson(input, context, now, state) over the library `lib` (README.md, the contract).
export function watsonProfile(lib) {
  const { name: library, Reject, ConfigError, accept, NodeRSA, importKeys, candidatesFor, baseOptions, verifyWith } = lib;

  function watsonDecryptor(state, jwk) {
    if (jwk === undefined || jwk === null) return null;
    const id = JSON.stringify(jwk);
    if (state.decryptorFor === id) return state.decryptor;
    let pem;
    try {
      pem = createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' });
    } catch (e) {
      throw new ConfigError(`decryption_key ${JSON.stringify(jwk.kid)} refused: ${e.message}`);
    }
    const rsa = new NodeRSA(pem); // default scheme: pkcs1_oaep, sha1 (node-rsa 1.1.1)
    state.decryptorFor = id;
    state.decryptor = rsa;
    return rsa;
  }

  return async function verifyWatson(input, context, now, state) {
    const notes = [];
    const token = input.token;
    if (token === undefined || token === null || token === '') {
      throw new Reject('token_missing', 'security is on and the message carries no identity token');
    }
    const keys = importKeys(context.keys, notes);
    const decryptor = watsonDecryptor(state, context.decryption_key);
    const options = baseOptions(['RS256'], now, context.skew ?? 0);
    lib.watsonOptions(options, context);
    const r = await verifyWith(token, (h) => candidatesFor(keys, h, 'RS256'), options);
    const claims = r.payload;
    if (claims === null || typeof claims !== 'object') {
      throw new Reject('malformed', `${library} accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
    }
    // "The JWT payload must specify values for the following claims: iss, sub, exp."
    for (const name of ['iss', 'sub']) {
      if (claims[name] === undefined || claims[name] === null) throw new Reject('claim_missing', `${name} missing`);
      if (typeof claims[name] !== 'string') throw new Reject('claim_invalid', `${name} is not a string`);
    }
    if (lib.expOptional && claims.exp === undefined) throw new Reject('claim_missing', `exp missing (${library} has no option to require it)`);
    // "the syntax must meet the requirements for header fields as defined in RFC 7230
    // (all visible ASCII characters)".
    if (!/^[\x21-\x7e]+$/.test(claims.sub)) {
      throw new Reject('claim_invalid', `sub ${JSON.stringify(claims.sub)} is not a non-empty string of visible ASCII`);
    }
    const out = { user_id: claims.sub };
    if (claims.user_payload !== undefined) {
      if (typeof claims.user_payload !== 'string') throw new Reject('claim_invalid', 'user_payload is not a string');
      if (decryptor) {
        try {
          out.user_payload = decryptor.decrypt(claims.user_payload, 'json');
        } catch (e) {
          throw new Reject('payload_undecryptable', `node-rsa: ${e.message}`);
        }
      } else {
        out.user_payload = claims.user_payload;
      }
    }
    // "After you set the value of the sub claim … you cannot change the claim to another user."
    if (state.userId !== undefined && state.userId !== claims.sub) {
      throw new Reject('subject_changed', `sub ${JSON.stringify(claims.sub)} but the session is ${JSON.stringify(state.userId)}`);
    }
    state.userId = claims.sub;
    return accept(out);
  };
}
