// The thinnest browser the library needs in node 20, and nothing more (README.md, "The shim"):
// `window` is node's global (WebCrypto is globalThis.crypto, TextEncoder and setTimeout are
// there); `XMLHttpRequest` routed through the protocol's fetch (the harness plays the
// network); a `document` that only records what the library's error handlers draw; and
// Date.now pinned to the case's clock (the library reads Date.now() for exp and nbf).

import { protocolFetch } from '../../glue/node/protocol.mjs';

globalThis.window = globalThis;
// The plug-in's own page: XHR resolves a URL against it (the jku is absolute by then).
globalThis.location = { href: 'https://plugin.example/index.html?src=jwtc' };

// What the case observed: the error texts the library drew, and whether it dropped its
// own promise (an exception in an XHR handler, an unhandled rejection), after which its
// init() can never settle.
export const page = { drawn: [], dropped: null, onDrop: null };
const drop = (why) => {
  if (page.dropped) return;
  page.dropped = why;
  if (page.onDrop) page.onDrop(why);
};
process.on('unhandledRejection', (e) => drop(`unhandled rejection: ${e && e.message ? e.message : String(e)}`));

globalThis.document = {
  body: { appendChild: (el) => page.drawn.push(el.html) },
  getElementById: () => null,
  createElement: () => {
    const el = { set innerHTML(h) { this.content = { firstChild: { html: h } }; } };
    return el;
  },
};

// A browser's XHR: onload for every HTTP status, redirects followed (up to 20), onerror on
// a network error, the `timeout` event (which the library does not handle) past xhr.timeout.
class XMLHttpRequest {
  open(method, url) {
    this.method = method;
    this.url = new URL(url, globalThis.location.href).href;
  }
  async send() {
    let url = this.url;
    for (let hop = 0; ; hop++) {
      const res = await protocolFetch(url);
      if (res.error) return this.fire('onerror', `network error: ${res.error}`);
      if (this.timeout && typeof res.delay_ms === 'number' && res.delay_ms > this.timeout) {
        return this.fire('ontimeout', `no answer within ${this.timeout} ms`);
      }
      const location = Object.entries(res.headers || {}).find(([k]) => k.toLowerCase() === 'location');
      if ([301, 302, 303, 307, 308].includes(res.status) && location && hop < 20) {
        url = new URL(location[1], url).href;
        continue;
      }
      this.status = res.status;
      this.responseText = typeof res.body === 'string' ? res.body : '';
      return this.fire('onload', `HTTP ${res.status}`);
    }
  }
  fire(handler, what) {
    if (typeof this[handler] !== 'function') return drop(`XHR ${handler.slice(2)} (${what}) has no handler`);
    try {
      this[handler]();
    } catch (e) {
      drop(`exception in XHR ${handler.slice(2)} (${what}): ${e.message}`);
    }
  }
}
globalThis.XMLHttpRequest = XMLHttpRequest;

export function atClock(now) {
  Date.now = () => now * 1000;
  page.drawn = [];
  page.dropped = null;
  page.onDrop = null;
}
