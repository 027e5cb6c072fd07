// Command mito-agent is mito's own command line (github.com/elastic/mito, the version pinned in
// go.mod, `mito.Main`) with the redirect policy the Elastic Agent CEL input gives its HTTP client,
// so that mapc's tests run a generated program under the policy its `cel.yml.hbs` configures.
//
// The CEL input sets `CheckRedirect` on its client (beats `x-pack/filebeat/input/cel/input.go`,
// `newClient` and `checkRedirect`, from `resource.redirect.max_redirects`, default 10, in
// `config.go` `defaultConfig`): a redirect hop beyond the maximum is refused with the error
// "stopped after N redirects" before the hop is sent (Go net/http `Client.do` calls
// `CheckRedirect` before sending each hop). mito's command line uses `http.DefaultClient`, which
// follows 10 redirects; this command sets the Agent's policy on it. `resource.redirect.forward_headers`
// (default false) is not emulated: with it off, `checkRedirect` changes nothing but the count.
//
// Usage: mito-agent [-max_redirects n] <mito options> <src.cel>
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/elastic/mito"
)

func main() {
	max := flag.Int("max_redirects", 10, "resource.redirect.max_redirects of the Elastic Agent CEL input")
	http.DefaultClient.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
		if len(via) >= *max {
			return fmt.Errorf("stopped after %d redirects", *max)
		}
		return nil
	}
	os.Exit(mito.Main())
}
