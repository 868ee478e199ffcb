module jwtc.example/adapters/golang-jwt

go 1.19

require (
	github.com/golang-jwt/jwt/v4 v4.4.3
	jwtc/glue v0.0.0
)

// Debian's golang-github-golang-jwt-jwt-dev (4.4.3-1) installs the module's source here;
// build.sh installs the package and builds with GOPROXY=off, so nothing else is fetched.
replace github.com/golang-jwt/jwt/v4 => /usr/share/gocode/src/github.com/golang-jwt/jwt

// The Go glue the Go adapters share (the protocol, the loop, the vendor profiles), from this
// checkout: standard library only.
replace jwtc/glue => ../../glue/go
