// The key store of one case, set up the way a plug-in sets up the library: `new
// PluginAdapter(srcId)` (which registers COYO's host and built-in keys), then the case's
// built-in keys under the library's own coyocloud pattern written for the suite's domain,
// then the documentation's `jwkStore.addJwk(regex, {alg, key})` and `addHost(url)`.

import { JwkStore, PluginAdapter } from './library.mjs';

// jwk-defaults.js line 54, JWK_PROD_RGX = /^https?:\/\/[a-z0-9_-]+\.coyocloud.com/i, with
// the suite's stand-in for coyocloud.com (the test keys play COYO's built-in certificates).
const BUILTIN_RGX = /^https?:\/\/[a-z0-9_-]+\.coyocloud.example/i;

// The WebCrypto algorithm a plug-in writes beside a key (the documentation's JWK constant:
// { alg: { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }, key }), from the JWK's alg.
function entry(jwk) {
  const m = /^(RS|PS)(256|384|512)$/.exec(typeof jwk.alg === 'string' ? jwk.alg : 'RS256');
  const hash = { name: `SHA-${m ? m[2] : '256'}` };
  return { alg: { name: m && m[1] === 'PS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash }, key: jwk };
}

// A pattern as the plug-in's developer writes it: a JavaScript literal, or a bare expression
// given to new RegExp. Not anchored: the library runs iss.match(regEx) with it as it is.
function pattern(p) {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(p);
  return m ? new RegExp(m[1], m[2]) : new RegExp(p);
}

export function storeFor(context, notes) {
  JwkStore.getInstance().reset();
  new PluginAdapter('jwtc'); // registers certificates.plugins.coyoapp.com and COYO's keys
  const store = JwkStore.getInstance();
  const builtin = context.builtin || [];
  if (builtin.length) store.addJwk(BUILTIN_RGX, ...builtin.map(entry));
  for (const { pattern: p, keys } of context.issuers || []) {
    try {
      store.addJwk(pattern(p), ...(keys || []).map(entry));
    } catch (e) {
      notes.push(`issuer pattern ${JSON.stringify(p)} not registered: ${e.message}`);
    }
  }
  for (const host of context.jku_allowlist || []) {
    try {
      store.addHost(host);
    } catch (e) {
      notes.push(`host ${JSON.stringify(host)} not registered: ${e.message}`);
    }
  }
  return store;
}
