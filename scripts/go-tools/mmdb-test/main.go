// Command mmdb-test writes a MaxMind DB test database (GeoIP City or ASN shaped) from a JSON
// description of invented networks, with MaxMind's own writer (github.com/maxmind/mmdbwriter),
// so that mapc's tests read back real .mmdb files without downloading anything:
//
//	mmdb-test description.json out.mmdb
//
// The description is {"databaseType": "...", "networks": [{"network": "CIDR", "data": {...}}]}.
// "data" is the record as the MaxMind DB format stores it: JSON strings become UTF-8 strings,
// numbers with a fraction or exponent doubles, other numbers uint32 (the types GeoIP2 City and
// ASN databases use: https://maxmind.github.io/MaxMind-DB/ and the GeoIP2 record layouts),
// booleans booleans, arrays and objects arrays and maps. (So no uint16 field, such as City's
// location.accuracy_radius: MaxMind's Java reader, geoip2 4.2.1, refuses a uint32 there with
// "argument type mismatch".) Reserved networks (the documentation
// ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are allowed: tests use them.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

type description struct {
	DatabaseType string `json:"databaseType"`
	Networks     []struct {
		Network string          `json:"network"`
		Data    json.RawMessage `json:"data"`
	} `json:"networks"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mmdb-test description.json out.mmdb")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "mmdb-test:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	text, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var d description
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if d.DatabaseType == "" {
		return fmt.Errorf("%s: databaseType is required", in)
	}
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            d.DatabaseType,
		Description:             map[string]string{"en": "mapc test database: invented networks"},
		Languages:               []string{"en"},
		IncludeReservedNetworks: true,
		RecordSize:              28,
		// A fixed build time: the same description always gives the same bytes.
		BuildEpoch: 1700000000,
	})
	if err != nil {
		return err
	}
	for _, n := range d.Networks {
		_, network, err := net.ParseCIDR(n.Network)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		vd := json.NewDecoder(bytes.NewReader(n.Data))
		vd.UseNumber()
		var v any
		if err := vd.Decode(&v); err != nil {
			return fmt.Errorf("%s: network %s: %w", in, n.Network, err)
		}
		value, err := convert(v)
		if err != nil {
			return fmt.Errorf("%s: network %s: %w", in, n.Network, err)
		}
		if err := tree.Insert(network, value); err != nil {
			return fmt.Errorf("%s: network %s: %w", in, n.Network, err)
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := tree.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func convert(v any) (mmdbtype.DataType, error) {
	switch x := v.(type) {
	case string:
		return mmdbtype.String(x), nil
	case bool:
		return mmdbtype.Bool(x), nil
	case json.Number:
		s := string(x)
		if strings.ContainsAny(s, ".eE") {
			f, err := strconv.ParseFloat(s, 64)
			return mmdbtype.Float64(f), err
		}
		u, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%s: not a uint32 (write a fraction for a double)", s)
		}
		return mmdbtype.Uint32(u), nil
	case []any:
		out := make(mmdbtype.Slice, 0, len(x))
		for _, item := range x {
			c, err := convert(item)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	case map[string]any:
		out := mmdbtype.Map{}
		for k, item := range x {
			c, err := convert(item)
			if err != nil {
				return nil, err
			}
			out[mmdbtype.String(k)] = c
		}
		return out, nil
	default:
		return nil, fmt.Errorf("null is not a MaxMind DB value")
	}
}
