// Verdicts and error codes of the node-jose adapter: Reject and Skip, accept, and jose's
// exceptions mapped to the codes of docs/rules.md (and named in an answer's detail).

/** A reject decided by the glue (or a library error given a code by the glue). */
export class Reject extends Error {
  constructor(code, detail, options) {
    super(detail, options);
    this.jwtc = code;
  }
}
/** What jose cannot express: answered `skip`. */
export class Skip extends Error {}

export const accept = (output) => ({ verdict: 'accept', output });

/** The TypeErrors jose raises when it cannot use a key for the token's algorithm (lib/key.js, key/import.js). */
const JOSE_KEY_ERRORS =
  /^(Invalid key for this operation|JSON Web Key |Key for the |CryptoKey |\S+ requires key modulusLength|\S+ instances must be of type|"ext" |"key_ops" |"alg" argument is required|missing "k"|JWK must be an object)/;

/**
 * The error code for a jose exception (docs/rules.md's codes); null when the exception is not
 * one the library raises for a token or key (then it is an adapter bug: verdict `error`).
 */
export function codeOf(e) {
  if (e instanceof Reject) return e.jwtc;
  switch (e?.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'alg_not_allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad_signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWK_INVALID':
    case 'ERR_JWKS_INVALID':
      return 'key_unknown';
    case 'ERR_JWKS_TIMEOUT':
      return 'key_unavailable';
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.reason === 'missing') return 'claim_missing';
      if (e.reason === 'invalid') return 'claim_invalid';
      switch (e.claim) {
        case 'iss':
          return 'issuer_mismatch';
        case 'aud':
          return 'audience_mismatch';
        case 'nbf':
        case 'iat':
          return 'not_yet_valid';
        case 'typ':
          return 'malformed';
        default:
          return 'claim_invalid';
      }
    case 'ERR_JWS_INVALID':
      return /"alg" \(Algorithm\) Header Parameter/.test(e.message) ? 'alg_not_allowed' : 'malformed';
    case 'ERR_JWT_INVALID':
      return 'malformed';
    case 'ERR_JOSE_NOT_SUPPORTED':
      // "Extension Header Parameter ... is not recognized" (crit) is a header problem; the
      // rest are an algorithm or key type jose does not take.
      return /Extension Header Parameter/.test(e.message) ? 'malformed' : 'alg_not_allowed';
    case 'ERR_JOSE_GENERIC':
      return 'key_unavailable';
  }
  // Key material jose or WebCrypto refused while preparing the key (a configuration error
  // naming the key, so the token has no usable key).
  if (
    (e instanceof TypeError && JOSE_KEY_ERRORS.test(e.message)) ||
    e?.name === 'DataError' ||
    e?.name === 'NotSupportedError'
  ) {
    return 'key_unknown';
  }
  return null;
}

export function describe(e) {
  if (e instanceof Reject) return e.message;
  const parts = [`${e?.name ?? 'Error'}${e?.code ? ` ${e.code}` : ''}: ${e?.message ?? String(e)}`];
  if (e?.claim) parts.push(`(claim ${e.claim}, reason ${e.reason})`);
  if (e?.cause && e.cause !== e && !(e.cause.claim && e.cause.payload)) {
    parts.push(`caused by ${e.cause?.name ?? ''}: ${e.cause?.message ?? String(e.cause)}`);
  }
  return parts.join(' ');
}
