package openapi_test

import (
	"errors"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// FuzzParse: no spec may panic or hang the loader. $refs to other files
// are refused (the opener reads nothing), so the fuzzer explores one file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/octet-stream:\n            schema: {type: string, format: binary, maxLength: 10}\n      responses: {'200': {description: ok}}\n",
		"swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: h\nbasePath: /b\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
		"{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"$ref\": \"#/paths/~1a\"}}}",
		"openapi: 3.0.0\na: &a [*a]\n",
		"openapi: 3.0.0\npaths:\n  /x:\n    $ref: 'other.yaml#/x'\n",
		"openapi: 3.0.0\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\npaths: {/a: {get: {responses: {'200': {description: ok, content: {text/event-stream: {schema: {$ref: '#/components/schemas/A'}}}}}}}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			file := parsers.NewFile("spec.yaml", "/root/spec.yaml", "/root", parsers.FormatOpenAPI, data)
			_ = openapi.Parse(file, func(string) (*parsers.File, error) { return nil, errors.New("not in the test") })
		})
	})
}
