#!/usr/bin/env bash
# Installs the engines' own tools that mapc's tests run, into the git-ignored .tools/ folder.
# Idempotent: a tool already built at the pinned version is kept.
#
# Versions are pinned in scripts/go-tools/<tool>/go.mod (+ go.sum, which also verifies the
# downloads, so the checksum database is not needed):
#   mito                   github.com/elastic/mito            Elastic's CEL runtime (Elastic Agent CEL input)
#   mito-agent             the same mito, with the Agent CEL input's redirect policy (scripts/go-tools/mito-agent)
#   mustache               github.com/breml/logstash-config   a Logstash config parser and formatter
#   package-spec-validate  github.com/elastic/package-spec/v3 the validator `elastic-package lint` runs
#   mmdb-test              github.com/maxmind/mmdbwriter      MaxMind's DB writer: the test GeoIP City / ASN
#                          databases the tests build from JSON descriptions (scripts/go-tools/mmdb-test)
# The binaries go to .tools/bin. What a build downloads and compiles is cached once per machine,
# outside the clone, like Maven's ~/.m2 for OpenSearch: Go's module and build caches under
# ${XDG_CACHE_HOME:-$HOME/.cache}/mapc-tools/go (a fresh clone then links the five tools in
# seconds instead of downloading and compiling them for about a minute; go.sum still verifies
# every module), and the native VRL CLI (below), whose build takes 5-10 minutes on 2 cores.
#
#   vrl  crates.io `vrl` 0.38.0, built with `cargo install --locked` (the crate's own Cargo.lock
#        pins every dependency): the VRL CLI, `vrl -p program.vrl -i events.ndjson`, the newest
#        VRL run natively beside the WASM build of VRL 0.25 the tests load from npm (verel).
#        Cache: ${XDG_CACHE_HOME:-$HOME/.cache}/mapc-tools/vrl-<version>/bin/vrl, keyed by version;
#        built there when missing, then copied to .tools/bin/vrl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/mapc-tools"
mkdir -p "$tools/bin" "$tools/go" "$cache_root/go"

if ! command -v go >/dev/null 2>&1; then
  echo "install-tools: Go is required (https://go.dev/doc/install; Debian: apt-get install golang)" >&2
  exit 1
fi

export GOPATH="$tools/go" GOMODCACHE="$cache_root/go/mod" GOCACHE="$cache_root/go/build" GOBIN="$tools/bin"
export GOFLAGS=-mod=readonly GOSUMDB=off GOTOOLCHAIN=local

install_tool() { # <tool dir under scripts/go-tools> <package to install> <binary name>
  local dir="$root/scripts/go-tools/$1" pkg="$2" bin="$3"
  local stamp="$tools/bin/.$bin.stamp" want
  want="$(sha256sum "$dir/go.mod" "$dir/go.sum" | sha256sum | cut -d' ' -f1)"
  if [[ -x "$tools/bin/$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "install-tools: $bin is up to date"
    return
  fi
  local start=$SECONDS
  (cd "$dir" && go install "$pkg")
  echo "$want" >"$stamp"
  echo "install-tools: built $bin in $((SECONDS - start))s"
}

install_tool mito github.com/elastic/mito/cmd/mito mito
install_tool mito-agent . mito-agent
install_tool mustache github.com/breml/logstash-config/cmd/mustache mustache
install_tool package-spec-validate . package-spec-validate
install_tool mmdb-test . mmdb-test

# The native VRL CLI (see the header). A build goes to a temporary root first and is moved into the
# cache only when complete, so an interrupted build never leaves a broken cache.
VRL_VERSION=0.38.0
install_vrl() {
  local cache="$cache_root/vrl-$VRL_VERSION"
  if [[ ! -x "$cache/bin/vrl" ]]; then
    if ! command -v cargo >/dev/null 2>&1; then
      echo "install-tools: Rust's cargo is required to build the VRL CLI (https://rustup.rs; Debian: apt-get install cargo)" >&2
      exit 1
    fi
    local start=$SECONDS building="$cache.building.$$"
    rm -rf "$building"
    mkdir -p "$(dirname "$cache")"
    echo "install-tools: building vrl $VRL_VERSION into $cache (5-10 minutes on 2 cores, once per machine)"
    cargo install vrl --version "$VRL_VERSION" --locked --root "$building" --quiet
    rm -rf "$cache"
    mv "$building" "$cache"
    echo "install-tools: built vrl $VRL_VERSION in $((SECONDS - start))s"
  fi
  if ! cmp -s "$cache/bin/vrl" "$tools/bin/vrl"; then
    rm -f "$tools/bin/vrl"
    cp "$cache/bin/vrl" "$tools/bin/vrl.tmp.$$"
    mv "$tools/bin/vrl.tmp.$$" "$tools/bin/vrl"
    echo "install-tools: vrl $VRL_VERSION copied from $cache"
  else
    echo "install-tools: vrl is up to date"
  fi
}
install_vrl

echo "install-tools: $("$tools/bin/mito" -version 2>&1 | head -n1 || true)"
echo "install-tools: mustache $("$tools/bin/mustache" --version 2>&1 | head -n1 || true)"
