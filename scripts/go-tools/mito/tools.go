//go:build tools

// Package tools pins github.com/elastic/mito/cmd/mito, one of the engines' own tools mapc's tests run
// (installed by scripts/install-tools.sh).
package tools

import _ "github.com/elastic/mito/cmd/mito"
