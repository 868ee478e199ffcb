#!/bin/sh
# Builds the golang-jwt adapter into $1 (adapter.json's {install_dir}) against Debian's
# packages: golang-go and golang-github-golang-jwt-jwt-dev 4.4.3-1 (the pin). As root with
# apt-get, missing packages are installed; otherwise the error names them. GOPROXY=off:
# go.mod's replace points at Debian's source, nothing is downloaded.
set -eu
out=${1:?usage: build.sh INSTALL_DIR}
pin=4.4.3-1
pkgs="golang-go golang-github-golang-jwt-jwt-dev"
have() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }
if ! command -v go >/dev/null 2>&1 || [ "$(have golang-github-golang-jwt-jwt-dev)" = "" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "golang-jwt: installing Debian's $pkgs" >&2
    apt-get install -y -qq $pkgs >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $pkgs >/dev/null; }
  else
    echo "golang-jwt needs Debian's $pkgs (apt-get install -y $pkgs, as root)" >&2
    exit 1
  fi
fi
got=$(have golang-github-golang-jwt-jwt-dev)
if [ "$got" != "$pin" ]; then
  echo "golang-jwt: Debian's golang-github-golang-jwt-jwt-dev is $got, the adapter is pinned to $pin (its expected failures were made on it)" >&2
  exit 1
fi
mkdir -p "$out"
GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on go build -trimpath -ldflags "-X main.libVersion=${pin%-*}" -o "$out/golang-jwt-adapter" .
