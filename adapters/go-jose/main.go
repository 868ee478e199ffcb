// The go-jose adapter's entry point: the shared Go glue (glue/go: the protocol, the
// dispatch loop, the vendor profiles) run with go-jose's own core and jws profiles and its
// Library (library.go). build.sh builds it against Debian's
// golang-gopkg-square-go-jose.v2-dev.

package main

import "jwtc/glue"

// libVersion is the go-jose release built against (build.sh sets it from Debian's
// package; go-jose has no version constant).
var libVersion = "unknown"

func main() {
	glue.Run(glue.Adapter{
		Name: "go-jose", Version: libVersion,
		// go-jose verifies any JWS payload and implements ES512.
		Features: []string{"jws-payload", "es512", "jwks-fetch", "builtin-keys", "proxy-role"},
		Handlers: glue.VendorProfiles(glue.Vendor[*Key]{Lib: library{}, ExpMissing: expMissing},
			map[string]glue.Handler{"core": verifyCore, "jws": verifyJws}),
	})
}
