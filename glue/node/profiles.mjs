// The vendor profiles over one library: pendo, watson, coyo, pomerium and pomerium-proxy,
// each a handler(input, context, now, state) for serve.mjs's dispatch, built from what
// the adapter hands in (README.md, the contract). The adapter's own modules come as
// namespaces; a name missing from one stops the adapter at start-up, naming it.

import { coyoProfile } from './coyo.mjs';
import { jwksCache } from './jwks.mjs';
import { pendoProfile } from './pendo.mjs';
import { pomeriumProfiles } from './pomerium.mjs';
import { watsonProfile } from './watson.mjs';

// What the glue takes from each of the adapter's modules.
const CONTRACT = {
  errors: ['Reject', 'ConfigError', 'accept'],
  keys: ['b64urlBytes', 'candidatesFor', 'fits', 'importKeys'],
  verify: ['baseOptions', 'verifyWith'],
  calls: ['decodeComplete', 'decodePayload', 'watsonOptions', 'pomeriumOptions', 'signAssertion'],
};

function picked(adapter) {
  const lib = { name: adapter.name, expOptional: adapter.expOptional, NodeRSA: adapter.NodeRSA };
  if (typeof lib.name !== 'string') throw new Error('glue/node: the adapter gives no library name (name)');
  if (typeof lib.expOptional !== 'boolean') throw new Error(`glue/node: ${lib.name}: expOptional is ${JSON.stringify(lib.expOptional)}, not true or false`);
  if (typeof lib.NodeRSA !== 'function') throw new Error(`glue/node: ${lib.name}: NodeRSA is not node-rsa's constructor`);
  for (const [part, names] of Object.entries(CONTRACT)) {
    for (const n of names) {
      const f = adapter[part] && adapter[part][n];
      if (typeof f !== 'function') throw new Error(`glue/node: ${lib.name}: ${part}.${n} is ${typeof f}, not a function (glue/node/README.md)`);
      lib[n] = f;
    }
  }
  lib.cachedJwks = jwksCache(lib);
  return lib;
}

// { pendo, watson, coyo, pomerium, 'pomerium-proxy' }: the handlers, by profile name.
export function vendorProfiles(adapter) {
  const lib = picked(adapter);
  const { verifyPomerium, proxyPomerium } = pomeriumProfiles(lib);
  return {
    pendo: pendoProfile(lib),
    watson: watsonProfile(lib),
    coyo: coyoProfile(lib),
    pomerium: verifyPomerium,
    'pomerium-proxy': proxyPomerium,
  };
}
