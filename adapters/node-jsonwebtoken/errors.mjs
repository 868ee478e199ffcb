// Verdicts of the node-jsonwebtoken adapter (Reject, Skip, ConfigError, accept) and
// jsonwebtoken's errors mapped to the error codes of docs/rules.md.

import { jwt } from './library.mjs';

export class Reject extends Error {
  constructor(code, detail) {
    super(detail);
    this.code = code;
  }
}
export class Skip extends Error {}
// A configuration the case cannot run with (an adapter-side error, never a verdict).
export class ConfigError extends Error {}

export const accept = (output) => ({ verdict: 'accept', output });

// jsonwebtoken's errors, mapped to the codes of docs/rules.md. The library's own message
// always goes into `detail`.
export function codeOf(err) {
  if (err instanceof jwt.TokenExpiredError) return 'expired';
  if (err instanceof jwt.NotBeforeError) return 'not_yet_valid';
  const m = String(err && err.message);
  if (err instanceof SyntaxError) return 'malformed'; // JSON.parse of a typ:JWT payload
  if (m === 'invalid algorithm') return 'alg_not_allowed';
  if (m === 'invalid signature' || /signatures must be/.test(m)) return 'bad_signature';
  if (isKeyMismatch(m)) return 'key_unknown';
  if (m === 'invalid exp value' || m === 'invalid nbf value') return 'claim_invalid';
  if (m.startsWith('jwt audience invalid')) return 'audience_mismatch';
  if (m.startsWith('jwt issuer invalid')) return 'issuer_mismatch';
  return 'malformed'; // jwt malformed, invalid token, jwt signature is required, ...
}

// Errors that say "this key does not fit", so the next candidate key is tried.
export function isKeyMismatch(m) {
  return /must be a symmetric key|must be an asymmetric key|"alg" parameter|requires curve|Unknown key type|not valid key material|Invalid key for this operation/.test(m);
}
export function isSignatureFailure(m) {
  return m === 'invalid signature' || /signatures must be/.test(m);
}
