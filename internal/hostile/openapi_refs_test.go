//go:build linux

package hostile_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

const specHead = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: \"%s\"\n      responses:\n        '200': {description: ok}\n"

// fanOut writes n schemas named name0…, each with width properties that
// are refs (written by ref) to the next, the last one plain.
func fanOut(b *strings.Builder, indent string, n, width int, ref func(i int) string) {
	for i := 0; i < n; i++ {
		fmt.Fprintf(b, "%sS%d:\n%s  type: object\n%s  properties:\n", indent, i, indent, indent)
		for j := 0; j < width; j++ {
			if i+1 < n {
				fmt.Fprintf(b, "%s    p%d: {$ref: '%s'}\n", indent, j, ref(i+1))
			} else {
				fmt.Fprintf(b, "%s    p%d: {type: string}\n", indent, j)
			}
		}
	}
}

// OpenAPI $refs (issue 25 item 9 and shapes of our own). Each failed before
// its fix: out of memory, past the deadline, or the whole spec lost.
var openapiRefCases = []hostileCase{
	// 9. 21 files of under 2 KB, each schema's 20 properties a $ref to the
	// next file: the loader copies a fragment of a file that is no spec
	// afresh for every ref, 20^21 copies (out of memory after seconds).
	{name: "25.9 openapi 21-file ref chain", gen: func(t *testing.T, d string) {
		write(t, d, "openapi.yaml", fmt.Sprintf(specHead, "f0.yaml#/S"))
		for i := 0; i < 21; i++ {
			var b strings.Builder
			b.WriteString("S:\n  type: object\n  properties:\n")
			for j := 0; j < 20; j++ {
				if i+1 < 21 {
					fmt.Fprintf(&b, "    p%d:\n      $ref: \"f%d.yaml#/S\"\n", j, i+1)
				} else {
					fmt.Fprintf(&b, "    p%d:\n      type: string\n", j)
				}
			}
			write(t, d, fmt.Sprintf("f%d.yaml", i), b.String())
		}
	}, want: []want{{"parse-error", "d/openapi.yaml", 10, `\$ref f0\.yaml#/S would make the loader build more than \d+ objects`}}, maxFindings: 1},

	// Ours: the same bomb inside one file, through refs to an x- extension
	// (not a typed place, so copied at every use): 7 KB, 10^21 copies.
	{name: "openapi ref bomb through an x- extension", gen: func(t *testing.T, d string) {
		var b strings.Builder
		fmt.Fprintf(&b, specHead, "#/x-defs/S0")
		b.WriteString("x-defs:\n")
		fanOut(&b, "  ", 22, 10, func(i int) string { return fmt.Sprintf("#/x-defs/S%d", i) })
		write(t, d, "api.yaml", b.String())
	}, want: []want{{"parse-error", "d/api.yaml", 10, `would make the loader build more than`}}, maxFindings: 1},

	// Ours: shared components are loaded once, but hoplint's own search
	// for a binary size walked every path through them: 12 schemas of 12
	// properties, each a ref to the next, are 12^8 paths in a 7 KB spec.
	{name: "openapi shared schemas 12 wide 12 deep", gen: func(t *testing.T, d string) {
		var b strings.Builder
		fmt.Fprintf(&b, specHead, "#/components/schemas/S0")
		b.WriteString("components:\n  schemas:\n")
		fanOut(&b, "    ", 12, 12, func(i int) string { return fmt.Sprintf("#/components/schemas/S%d", i) })
		write(t, d, "api.yaml", b.String())
	}, want: nil, maxFindings: noFindings},

	// Ours: a $ref to a FIFO, to a file that does not exist, and to a link
	// to /dev/zero. None is read (a FIFO would block, /dev/zero never
	// ends), each is reported, and the spec loads without them (no
	// parse-error; parsers/openapi's TestRefToFIFOOrMissingFile checks the
	// routes): before, the FIFO made the whole spec a parse-error.
	{name: "openapi refs to a FIFO, a missing file and /dev/zero", gen: func(t *testing.T, d string) {
		mkfifo(t, d, "pipe.yaml")
		symlink(t, "/dev/zero", filepath.Join(d, "zero.yaml"))
		write(t, d, "api.yaml", fmt.Sprintf(specHead, "pipe.yaml#/S")+
			"  /b:\n    $ref: 'gone.yaml#/B'\n  /c:\n    $ref: 'zero.yaml'\n"+
			"x-sink:\n  $ref: 'missing-too.yaml'\n")
	}, want: []want{
		{"include-not-followed", "d/api.yaml", 10, `pipe\.yaml is not a regular file`},
		{"include-not-followed", "d/api.yaml", 14, `gone\.yaml does not exist`},
		{"include-not-followed", "d/api.yaml", 16, `zero\.yaml lies outside the linted root`},
		{"include-not-followed", "d/api.yaml", 18, `missing-too\.yaml does not exist`},
	}, maxFindings: 4},

	// Ours: whole-file refs that form a cycle across two files, and a file
	// that refers to itself: the loader stops at the cycle (regression).
	{name: "openapi whole-file ref cycle across files", gen: func(t *testing.T, d string) {
		write(t, d, "api.yaml", fmt.Sprintf(specHead, "a.yaml"))
		write(t, d, "a.yaml", "type: object\nproperties:\n  b: {$ref: 'b.yaml'}\n  me: {$ref: 'a.yaml'}\n")
		write(t, d, "b.yaml", "type: object\nproperties:\n  a: {$ref: 'a.yaml'}\n  self: {$ref: '#'}\n")
	}, want: nil, maxFindings: noFindings},
}

func TestHostileOpenAPIRefs(t *testing.T) {
	for _, c := range openapiRefCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run(t, c)
		})
	}
}
