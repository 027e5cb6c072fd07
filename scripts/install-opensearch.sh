#!/usr/bin/env bash
# Assembles an OpenSearch node with the ingest-common, lang-painless, lang-mustache, ingest-geoip and
# ingest-user-agent modules into .tools/opensearch/ (idempotent). The tests start it on 127.0.0.1 to
# run every generated ingest pipeline through `_ingest/pipeline/_simulate`. Artifacts come from Maven Central
# (scripts/opensearch/pom.xml pins the version); it runs on the machine's Java 21+ JDK.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's#.*<opensearch.version>\(.*\)</opensearch.version>.*#\1#p' "$root/scripts/opensearch/pom.xml")"
dest="$root/.tools/opensearch"
stamp="$dest/.mapc-stamp"
geoip_tests=("$root/test/support/geoip/city.json" "$root/test/support/geoip/asn.json")
want="$(sha256sum "$root/scripts/opensearch/pom.xml" "$0" "${geoip_tests[@]}" | sha256sum | cut -d' ' -f1)"
# OpenSearch refuses to run as root: the tests start it as this unprivileged system user.
if [[ "$(id -u)" == 0 ]] && ! getent passwd mapc-os >/dev/null; then
  useradd --system --no-create-home --shell /usr/sbin/nologin mapc-os
fi

# OpenSearch 2.x needs a JDK 11-21 (it installs a SecurityManager, which JDK 24 removed).
java_home=""
for candidate in "${MAPC_OPENSEARCH_JAVA_HOME:-}" /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-amd64; do
  if [[ -n "$candidate" && -x "$candidate/bin/java" ]]; then java_home="$candidate"; break; fi
done
if [[ -z "$java_home" ]]; then
  if [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless >/dev/null
    java_home=/usr/lib/jvm/java-17-openjdk-amd64
  else
    echo "install-opensearch: needs a JDK 11-21; set MAPC_OPENSEARCH_JAVA_HOME" >&2
    exit 1
  fi
fi

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "$java_home" >"$dest/.mapc-java-home"
  echo "install-opensearch: OpenSearch $version is up to date"
  exit 0
fi

start=$SECONDS
download="$root/.tools/opensearch-download"
rm -rf "$download" "$dest"
mvn -q -B -Dstyle.color=never -f "$root/scripts/opensearch/pom.xml" package
mkdir -p "$dest"
unzip -q "$download/opensearch-$version.zip" -d "$dest.tmp"
mv "$dest.tmp/opensearch-$version"/* "$dest"/
rm -rf "$dest.tmp"

# A module directory is its jars plus a plugin descriptor (the integ-test zip ships neither).
write_module() { # <name> <classname> <extended plugins> <description> <permissions...>
  local dir="$dest/modules/$1"
  mkdir -p "$dir"
  cp "$download/$1"/*.jar "$dir"/
  if (($# > 4)); then
    {
      echo "grant {"
      # `name` is a RuntimePermission; `Class:name` another permission class.
      for permission in "${@:5}"; do
        if [[ "$permission" == *:* ]]; then
          echo "  permission ${permission%%:*} \"${permission#*:}\";"
        else
          echo "  permission java.lang.RuntimePermission \"$permission\";"
        fi
      done
      echo "};"
    } >"$dir/plugin-security.policy"
  fi
  cat >"$dir/plugin-descriptor.properties" <<PROPS
description=$4
version=$version
name=$1
classname=$2
java.version=11
opensearch.version=$version
custom.foldername=
extended.plugins=$3
has.native.controller=false
PROPS
}
# Painless compiles scripts to classes at run time: it needs its own class loaders. The ingest
# module's Painless whitelist extension is loaded through Painless and reads its class loader too.
write_module lang-painless org.opensearch.painless.PainlessPlugin "" "Painless scripting language" \
  createClassLoader getClassLoader
# Mustache renders `{{{field}}}` templates in processor values; it reflects over template scopes.
write_module lang-mustache org.opensearch.script.mustache.MustachePlugin "" "Mustache scripting integration" \
  getClassLoader
write_module ingest-common org.opensearch.ingest.common.IngestCommonPlugin lang-painless "Common ingest processors" \
  getClassLoader

# The geoip processor (OpenSearch modules/ingest-geoip IngestGeoIpPlugin.loadDatabaseReaders):
# the module's folder must hold GeoLite2-City.mmdb, GeoLite2-Country.mmdb and GeoLite2-ASN.mmdb
# (the distribution bundles MaxMind's; the Maven jar does not), and config/ingest-geoip/ may hold
# other *.mmdb files, found by file name (`database_file`), but none of those three names. The
# defaults here are empty databases of the three types (MaxMind's type names: the geoip2 reader
# opens no other): like MaxMind's for the documentation
# addresses the fixtures use, they hold nothing, so the fixtures' pipelines find nothing, as the
# interpreter without a database. The test databases (test/support/geoip/*.json, invented
# records on documentation networks) go to config/ingest-geoip/ as mapc-Test-City.mmdb and
# mapc-Test-ASN.mmdb, which test/engines/opensearch/geoip.test.ts names. Built by mmdb-test
# (scripts/install-tools.sh, MaxMind's writer). jackson-databind reflects: the module's own policy.
write_module ingest-geoip org.opensearch.ingest.geoip.IngestGeoIpPlugin "" "Ingest geoip processor: MaxMind GeoIP2 City, Country and ASN databases" \
  accessDeclaredMembers java.lang.reflect.ReflectPermission:suppressAccessChecks
# The user_agent processor (OpenSearch modules/ingest-user-agent IngestUserAgentPlugin): its jar
# holds the regexes.yml it parses with (config/ingest-user-agent/ may add others; none here).
write_module ingest-user-agent org.opensearch.ingest.useragent.IngestUserAgentPlugin "" "Ingest user_agent processor: ua-parser regexes"
mmdb_test="$root/.tools/bin/mmdb-test"
if [[ ! -x "$mmdb_test" ]]; then
  echo "install-opensearch: needs .tools/bin/mmdb-test: run bash scripts/install-tools.sh first" >&2
  exit 1
fi
geoip_tmp="$(mktemp -d)"
for type in City Country ASN; do
  echo "{\"databaseType\": \"GeoLite2-$type\", \"networks\": []}" >"$geoip_tmp/$type.json"
  "$mmdb_test" "$geoip_tmp/$type.json" "$dest/modules/ingest-geoip/GeoLite2-$type.mmdb"
done
rm -rf "$geoip_tmp"
mkdir -p "$dest/config/ingest-geoip"
"$mmdb_test" "$root/test/support/geoip/city.json" "$dest/config/ingest-geoip/mapc-Test-City.mmdb"
"$mmdb_test" "$root/test/support/geoip/asn.json" "$dest/config/ingest-geoip/mapc-Test-ASN.mmdb"

chmod -R a+rX "$dest"
echo "$java_home" >"$dest/.mapc-java-home"
echo "$want" >"$stamp"
echo "install-opensearch: assembled OpenSearch $version in $((SECONDS - start))s"
