#!/bin/sh
# Builds the go-jose adapter into $1 (adapter.json's {install_dir}) against Debian's
# packages: golang-go and golang-gopkg-square-go-jose.v2-dev 2.6.0-2 (the pin). As root with
# apt-get, missing packages are installed; otherwise the error names them. Debian's source
# has no go.mod, so the build is in GOPATH mode over /usr/share/gocode: nothing is downloaded.
# The shared glue (import path jwtc/glue, this checkout's glue/go) is linked into a second,
# temporary GOPATH entry, removed when the build ends.
set -eu
out=${1:?usage: build.sh INSTALL_DIR}
pin=2.6.0-2
pkgs="golang-go golang-gopkg-square-go-jose.v2-dev"
have() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }
if ! command -v go >/dev/null 2>&1 || [ "$(have golang-gopkg-square-go-jose.v2-dev)" = "" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "go-jose: installing Debian's $pkgs" >&2
    apt-get install -y -qq $pkgs >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $pkgs >/dev/null; }
  else
    echo "go-jose needs Debian's $pkgs (apt-get install -y $pkgs, as root)" >&2
    exit 1
  fi
fi
got=$(have golang-gopkg-square-go-jose.v2-dev)
if [ "$got" != "$pin" ]; then
  echo "go-jose: Debian's golang-gopkg-square-go-jose.v2-dev is $got, the adapter is pinned to $pin (its expected failures were made on it)" >&2
  exit 1
fi
mkdir -p "$out"
glue=$(cd "$(dirname "$0")/../../glue/go" && pwd)
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
mkdir -p "$gopath/src/jwtc"
ln -s "$glue" "$gopath/src/jwtc/glue"
GO111MODULE=off GOPATH="/usr/share/gocode:$gopath" GOFLAGS= go build -trimpath -ldflags "-X main.libVersion=${pin%-*}" -o "$out/go-jose-adapter" .
