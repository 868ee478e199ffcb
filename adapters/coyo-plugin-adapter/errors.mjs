// Verdicts of the coyo-plugin-adapter adapter and the library's PluginErrorCode (plugin-error.js)
// mapped to the error codes of docs/rules.md.

import { PluginErrorCode as C } from './library.mjs';

export class Reject extends Error {
  constructor(code, detail) {
    super(detail);
    this.code = code;
  }
}

const CODES = {
  [C.CryptoNotFound]: 'key_unavailable',
  [C.CryptoKeyNotFound]: 'key_unknown',
  [C.InvalidTokenSignature]: 'bad_signature',
  [C.InvalidTokenClaim]: 'claim_invalid',
  [C.InvalidTokenExp]: 'expired',
  [C.InvalidTokenNbf]: 'not_yet_valid',
  [C.MessageTimeout]: 'malformed',
  [C.CryptoKeyNotFoundRemote]: 'key_unavailable',
  [C.CryptoKeyNotTrusted]: 'jku_not_allowed',
};

export function codeOf(err) {
  if (err && err.name === 'PluginError' && CODES[err.code]) return CODES[err.code];
  // new URL(jku) in getJwk: TypeError "Invalid URL".
  if (err && err.code === 'ERR_INVALID_URL') return 'jku_not_allowed';
  // crypto.subtle.importKey of a registered key (DataError, NotSupportedError).
  if (err && /DataError|NotSupportedError/.test(err.name)) return 'key_unknown';
  return 'malformed';
}
