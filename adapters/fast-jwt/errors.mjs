// Verdicts of the fast-jwt adapter (Reject, Skip, ConfigError, accept) and fast-jwt's
// TokenError codes mapped to the error codes of docs/rules.md.

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

// fast-jwt's TokenError codes (TOKEN_ERROR_CODES), mapped to the codes of docs/rules.md.
// A claim's type or value error names the claim in its message ("The iss claim ...").
export function codeOf(err) {
  const code = err && err.code;
  const m = String(err && err.message);
  switch (code) {
    case 'FAST_JWT_INVALID_ALGORITHM': return 'alg_not_allowed';
    case 'FAST_JWT_INVALID_SIGNATURE': return 'bad_signature';
    case 'FAST_JWT_EXPIRED': return 'expired';
    case 'FAST_JWT_INACTIVE': return 'not_yet_valid';
    case 'FAST_JWT_MISSING_REQUIRED_CLAIM': return 'claim_missing';
    case 'FAST_JWT_INVALID_KEY': return 'key_unknown';
    case 'FAST_JWT_INVALID_CLAIM_TYPE':
    case 'FAST_JWT_INVALID_CLAIM_VALUE':
      if (/\biss claim/.test(m)) return 'issuer_mismatch';
      if (/\baud claim/.test(m)) return 'audience_mismatch';
      return 'claim_invalid';
    default: return 'malformed'; // malformed, invalid payload, typ, crit, missing signature, ...
  }
}

// Errors that say "this key does not fit", so the next candidate key is tried.
export function isKeyMismatch(err) {
  return err && err.code === 'FAST_JWT_INVALID_KEY';
}
export function isSignatureFailure(err) {
  return err && err.code === 'FAST_JWT_INVALID_SIGNATURE';
}
