// Command package-spec-validate validates Elastic integration packages against the package
// specification with Elastic's own validator (github.com/elastic/package-spec), the library
// `elastic-package lint` runs. mapc uses it because elastic-package itself is not served by the
// Go module proxy reachable here.
//
// Usage: package-spec-validate <package-dir>...
// Exit status: 0 when every package is valid, 1 otherwise (errors on stderr, one per line).
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/elastic/package-spec/v3/code/go/pkg/validator"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: package-spec-validate <package-dir>...")
		os.Exit(2)
	}
	failed := false
	for _, dir := range os.Args[1:] {
		if err := validator.ValidateFromPath(dir); err != nil {
			failed = true
			var list interface{ Unwrap() []error }
			if errors.As(err, &list) {
				for _, e := range list.Unwrap() {
					fmt.Fprintf(os.Stderr, "%s: %v\n", dir, e)
				}
			} else {
				fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
			}
			continue
		}
		fmt.Printf("%s: valid\n", dir)
	}
	if failed {
		os.Exit(1)
	}
}
