// The golang-jwt adapter's entry point: the shared Go glue (glue/go: the protocol, the
// dispatch loop, the vendor profiles) run with golang-jwt's own core and jws profiles and
// its Library (library.go). build.sh builds it against Debian's
// golang-github-golang-jwt-jwt-dev.

package main

import (
	"time"

	jwt "github.com/golang-jwt/jwt/v4"
	"jwtc/glue"
)

// libVersion is the golang-jwt release built against (build.sh sets it from Debian's
// package; v4 has no version constant).
var libVersion = "unknown"

func main() {
	glue.Run(glue.Adapter{
		Name: "golang-jwt", Version: libVersion,
		// No jws-payload: golang-jwt decodes every payload as JSON claims.
		Features: []string{"es512", "jwks-fetch", "builtin-keys", "proxy-role"},
		Handlers: glue.VendorProfiles(glue.Vendor[*Key]{Lib: library{}, ExpMissing: expMissing},
			map[string]glue.Handler{"core": verifyCore, "jws": verifyJws}),
		// The library's documented clock hook ("You can override it to use another time value").
		OnHello: func(now int64) { jwt.TimeFunc = func() time.Time { return time.Unix(now, 0) } },
	})
}
