//go:build tools

// Package tools pins github.com/breml/logstash-config/cmd/mustache, one of the engines' own tools mapc's tests run
// (installed by scripts/install-tools.sh).
package tools

import _ "github.com/breml/logstash-config/cmd/mustache"
