package openapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// splitSpec is a spec split the way bundlers (swagger-cli, json-schema-
// ref-parser) accept: components hold a $ref to an index file instead of
// a map, the index refers to one file per schema (with refs of its own,
// relative to its directory), and path items live in files too.
var splitSpec = map[string]string{
	"root/openapi.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /users:
    $ref: "resources/users.yaml"
  /upload:
    post:
      requestBody:
        content:
          application/octet-stream:
            schema:
              $ref: "#/components/schemas/Upload"
      responses:
        "200": {description: ok}
components:
  schemas:
    $ref: "./schemas/_index.yaml"
  responses:
    $ref: "./responses/_index.yaml"
`,
	"root/schemas/_index.yaml": `Pet:
  $ref: "./Pet.yaml"
User:
  $ref: "./User.yaml"
Upload:
  $ref: "./Upload.yaml"
`,
	"root/schemas/Pet.yaml":    "type: object\nproperties:\n  owner:\n    $ref: \"./User.yaml\"\n",
	"root/schemas/User.yaml":   "type: object\nproperties:\n  pets:\n    type: array\n    items:\n      $ref: \"./Pet.yaml\"\n",
	"root/schemas/Upload.yaml": "type: string\nformat: binary\nmaxLength: 4096\n",
	"root/responses/_index.yaml": `Events:
  description: a stream
  content:
    text/event-stream:
      schema:
        $ref: "#/Line"
Line:
  description: unused
`,
	"root/resources/users.yaml": `get:
  responses:
    "200":
      $ref: "../openapi.yaml#/components/responses/Events"
post:
  requestBody:
    content:
      application/json:
        schema:
          $ref: "../schemas/User.yaml"
  responses:
    "200": {description: ok}
`,
}

// TestSplitSpec: a spec whose components are $refs to files inside the
// root loads, with every route, the size declared in a schema file reached
// through the index, and a streaming response from another index (issue 20
// item 8: such a spec failed to load, its routes lost).
func TestSplitSpec(t *testing.T) {
	sp := parseTree(t, splitSpec, "openapi.yaml")
	if !sp.Loaded {
		t.Fatalf("spec did not load: %v", sp.Problems)
	}
	if len(sp.Problems) != 0 {
		t.Errorf("problems: %v", sp.Problems)
	}
	var got []string
	for _, r := range sp.Routes {
		got = append(got, r.Label()+"@"+r.Range.File+":"+itoa(r.Range.Start.Line))
	}
	if strings.Join(got, " ") != "POST /upload@openapi.yaml:7 GET /users@resources/users.yaml:1 POST /users@resources/users.yaml:5" {
		t.Errorf("routes %v", got)
	}
	for _, r := range sp.Routes {
		switch r.Label() {
		case "POST /upload":
			if r.Body == nil || r.Body.Size != 4096 || r.Body.SizeRange.File != "schemas/Upload.yaml" || r.Body.SizeRange.Start.Line != 3 {
				t.Errorf("upload body %v at %v, want 4096 bytes declared at schemas/Upload.yaml:3", r.Body, r.Body.SizeRange)
			}
		case "GET /users":
			if len(r.Streams) != 1 || r.Streams[0].What != "text/event-stream" {
				t.Errorf("GET /users streams %+v, want text/event-stream", r.Streams)
			}
		}
	}
}

// TestRefToFIFOOrMissingFile: a $ref to a FIFO (which would block a read)
// or to a file that does not exist is reported as not followed, and the
// spec loads without what it names, instead of losing every route.
func TestRefToFIFOOrMissingFile(t *testing.T) {
	files := map[string]string{"root/api.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: "pipe.yaml#/S"
      responses:
        "200": {description: ok}
  /b:
    $ref: "gone.yaml#/B"
  /c:
    get:
      responses:
        "200": {description: ok}
`}
	sp := parseTreeWith(t, files, "api.yaml", func(root string) {
		if err := syscall.Mkfifo(filepath.Join(root, "pipe.yaml"), 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
	})
	if !sp.Loaded || len(sp.Routes) != 2 {
		t.Fatalf("loaded %v, %d routes, want the 2 routes not behind the refs: %v", sp.Loaded, len(sp.Routes), sp.Problems)
	}
	var msgs []string
	for _, p := range sp.Problems {
		if p.Kind != parsers.ProblemUnfollowed {
			t.Errorf("problem %v", p)
		}
		msgs = append(msgs, itoa(p.Range.Start.Line)+": "+p.Message)
	}
	all := strings.Join(msgs, "\n")
	if len(msgs) != 2 || !strings.Contains(all, "10: $ref pipe.yaml#/S was not followed (pipe.yaml is not a regular file") || !strings.Contains(all, "14: $ref gone.yaml#/B was not followed (gone.yaml does not exist)") {
		t.Errorf("problems:\n%s", all)
	}
}

// parseTreeWith is parseTree with a hook that adds to the root first.
func parseTreeWith(t *testing.T, files map[string]string, name string, hook func(root string)) *openapi.Spec {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "root")
	for p, data := range files {
		abs := filepath.Join(base, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hook(root)
	abs := filepath.Join(root, name)
	data, err := os.ReadFile(abs)
	if err != nil {
		t.Fatal(err)
	}
	f := parsers.NewFile(name, abs, root, parsers.FormatOpenAPI, data)
	return openapi.Parse(f, func(p string) (*parsers.File, error) {
		d, err := parsers.ReadWithin(root, p)
		if err != nil {
			return nil, err
		}
		return parsers.NewFile(parsers.RelPath(root, p), p, root, parsers.FormatOpenAPI, d), nil
	})
}
