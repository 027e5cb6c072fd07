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
# Everything goes under .tools/ (GOPATH, module and build caches), nothing into $HOME.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/go"

if ! command -v go >/dev/null 2>&1; then
  echo "install-tools: Go is required (https://go.dev/doc/install; Debian: apt-get install golang)" >&2
  exit 1
fi

export GOPATH="$tools/go" GOMODCACHE="$tools/go/mod" GOCACHE="$tools/go/cache" GOBIN="$tools/bin"
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

echo "install-tools: $("$tools/bin/mito" -version 2>&1 | head -n1 || true)"
echo "install-tools: mustache $("$tools/bin/mustache" --version 2>&1 | head -n1 || true)"
