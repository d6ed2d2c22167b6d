package main

import "testing"

// Symbols are attributed to their package's module whatever the linker
// prefixed them with, and a dot in a domain is not a package's end.
func TestModuleOf(t *testing.T) {
	mods := map[string]string{
		"github.com/hoplint/hoplint/parsers/terraform": "github.com/hoplint/hoplint",
		"k8s.io/api/core/v1":                           "k8s.io/api",
		"gopkg.in/evanphx/json-patch.v4":               "gopkg.in/evanphx/json-patch.v4",
		"runtime":                                      "std",
		"encoding/json":                                "std",
	}
	for sym, want := range map[string]string{
		"github.com/hoplint/hoplint/parsers/terraform.(*modInst).eval":      "github.com/hoplint/hoplint",
		"type:.eq.github.com/hoplint/hoplint/parsers/terraform.Ref":         "github.com/hoplint/hoplint",
		"local.k8s.io/api/core/v1.(*PodSpec).Marshal":                       "k8s.io/api",
		"go:itab.*k8s.io/api/core/v1.Pod,k8s.io/apimachinery/pkg/runtime.O": "k8s.io/api",
		"gopkg.in/evanphx/json-patch%2ev4.init":                             "gopkg.in/evanphx/json-patch.v4",
		"runtime.mallocgc":                                                  "std",
		"encoding/json.Marshal":                                             "std",
		"go:func.*":                                                         "(runtime tables)",
	} {
		if got := moduleOf(sym, mods); got != want {
			t.Errorf("moduleOf(%q) = %q, want %q", sym, got, want)
		}
	}
}
