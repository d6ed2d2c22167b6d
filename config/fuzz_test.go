package config

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
)

// FuzzParse decodes arbitrary .hoplint.yml content: it must not panic, and
// a refusal is one line that does not quote the file (yaml.v3's messages
// quote values; a .hoplint.yml reached by mistake may hold secrets).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"rules:\n  body-size-order: {severity: error}\nversions: {nginx: 1.27}\n",
		"link: strict\nterraform:\n  var_files: [a.tfvars]\ncharts:\n  chart:\n    values: [prod.yaml]\n",
		"rules:\n  read-timeout-order:\n    params: {margin: 2s}\n",
		"versions: {nginx: latest}\n",
		"rule: {}\n",
		"a: &a [*a]\n",
		"root:x:0:0:root:/root:/bin/bash\n",
		"versions: {nginx: SECRETVALUE}\n",
		"rules: SECRETVALUE\n",
		"link: SECRETVALUE\n",
		"rules:\n  x: {SECRETVALUE: 1}\n",
		"rules:\n  x:\n    exclude: [SECRETVALUE/[]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			if len(data) > 1<<16 {
				return
			}
			c, err := Parse(data)
			if err != nil {
				msg := err.Error()
				if strings.Contains(msg, "\n") {
					t.Fatalf("error of more than one line: %q", msg)
				}
				if strings.Contains(msg, "SECRETVALUE") {
					t.Fatalf("error quotes the file: %q", msg)
				}
				return
			}
			_ = c.RuleIDs()
			_ = c.ChartValues()
			_ = c.Strict()
			for _, p := range Products {
				_ = c.Version(p)
			}
		})
	})
}
