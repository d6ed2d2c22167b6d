package openapi_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// parseTree writes files under a fresh root and parses root/name, with an
// opener confined to the root, as topology's loader does.
func parseTree(t *testing.T, files map[string]string, name string) *openapi.Spec {
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

// TestRemoteRefsNeverFetched serves the referenced document on a local
// HTTP server: if hoplint fetched it, the server would count the request.
// The ref is reported as not followed and the spec still loads.
func TestRemoteRefsNeverFetched(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("Upload:\n  type: string\n  format: binary\n  maxLength: 99999999\n"))
	}))
	defer srv.Close()
	sp := parseTree(t, map[string]string{
		"root/api.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      requestBody:
        content:
          application/octet-stream:
            schema:
              $ref: "` + srv.URL + `/schemas.yaml#/Upload"
      responses:
        "200": {description: ok}
  /other:
    $ref: "common.yaml#/paths/other"
`,
		"root/common.yaml": `paths:
  other:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "` + srv.URL + `/more.yaml#/X"
`,
	}, "api.yaml")
	if hits.Load() != 0 {
		t.Fatalf("hoplint made %d HTTP requests", hits.Load())
	}
	if !sp.Loaded {
		t.Fatalf("spec did not load: %v", sp.Problems)
	}
	var unfollowed []string
	for _, p := range sp.Problems {
		if p.Kind == parsers.ProblemUnfollowed {
			unfollowed = append(unfollowed, p.Range.File+":"+itoa(p.Range.Start.Line))
		}
	}
	if strings.Join(unfollowed, " ") != "api.yaml:10 common.yaml:10" {
		t.Errorf("include-not-followed at %v, want api.yaml:10 and common.yaml:10", unfollowed)
	}
	if len(sp.Routes) != 2 || sp.Routes[1].Label() != "POST /upload" || sp.Routes[1].Body == nil || sp.Routes[1].Body.Size != 0 {
		t.Errorf("routes %+v: want the upload route with no known size (its schema was not fetched)", sp.Routes)
	}
}

// TestRefsOutsideRootNotRead: a $ref that climbs out of the linted root
// names a real file, which must not be read.
func TestRefsOutsideRootNotRead(t *testing.T) {
	sp := parseTree(t, map[string]string{
		"secret.yaml": "Upload:\n  type: string\n  format: binary\n  maxLength: 1234\n",
		"root/api.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      requestBody:
        content:
          application/octet-stream:
            schema:
              $ref: "../secret.yaml#/Upload"
      responses:
        "200": {description: ok}
`,
	}, "api.yaml")
	if !sp.Loaded || len(sp.Routes) != 1 {
		t.Fatalf("spec did not load: %v", sp.Problems)
	}
	if sp.Routes[0].Body.Size != 0 {
		t.Errorf("size %d read from outside the root", sp.Routes[0].Body.Size)
	}
	if len(sp.Problems) != 1 || sp.Problems[0].Kind != parsers.ProblemUnfollowed || !strings.Contains(sp.Problems[0].Message, "outside the linted root") {
		t.Errorf("problems %v", sp.Problems)
	}
}

// TestSymlinkOutOfRootNotFollowed: a $ref to a symlink inside the root
// that points outside it is reported, not read, and the spec still loads.
func TestSymlinkOutOfRootNotFollowed(t *testing.T) {
	base := t.TempDir()
	if err := os.WriteFile(filepath.Join(base, "secret.yaml"), []byte("Upload: {type: string, format: binary, maxLength: 1234}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "secret.yaml"), filepath.Join(root, "link.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      requestBody:
        content:
          application/octet-stream:
            schema:
              $ref: "link.yaml#/Upload"
      responses:
        "200": {description: ok}
`
	abs := filepath.Join(root, "api.yaml")
	if err := os.WriteFile(abs, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	sp := openapi.Parse(parsers.NewFile("api.yaml", abs, root, parsers.FormatOpenAPI, []byte(spec)), func(p string) (*parsers.File, error) {
		d, err := parsers.ReadWithin(root, p)
		if err != nil {
			return nil, err
		}
		return parsers.NewFile("x", p, root, parsers.FormatOpenAPI, d), nil
	})
	if !sp.Loaded || len(sp.Routes) != 1 || sp.Routes[0].Body.Size != 0 {
		t.Fatalf("loaded %v, routes %v, problems %v", sp.Loaded, sp.Routes, sp.Problems)
	}
	if len(sp.Problems) != 1 || sp.Problems[0].Kind != parsers.ProblemUnfollowed {
		t.Errorf("problems %v", sp.Problems)
	}
}

func TestRoutes(t *testing.T) {
	sp := parseTree(t, map[string]string{
		"root/api.yaml": `openapi: 3.1.0
info: {title: t, version: "1"}
servers:
  - url: https://api.example.com/v1
  - url: https://{region}.example.com/v2
    variables:
      region: {default: eu}
paths:
  /files:
    get:
      responses:
        "200": {description: ok}
    post:
      requestBody:
        $ref: "#/components/requestBodies/Upload"
      responses:
        "200": {description: ok}
  /events:
    get:
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              schema: {type: string}
components:
  requestBodies:
    Upload:
      content:
        multipart/form-data:
          schema:
            $ref: "schemas.yaml#/File"
`,
		"root/schemas.yaml": `File:
  type: object
  properties:
    name: {type: string, maxLength: 100}
    file:
      type: string
      contentMediaType: image/png
      maxLength: 20971520
`,
	}, "api.yaml")
	if !sp.Loaded {
		t.Fatalf("not loaded: %v", sp.Problems)
	}
	var got []string
	for _, r := range sp.Routes {
		s := r.Label() + " " + strings.Join(r.Paths(), ",") + " @" + itoa(r.Range.Start.Line)
		if r.Body != nil {
			s += " body " + strings.Join(r.Body.MediaTypes, ",") + " size " + itoa(int(r.Body.Size)) + " @" + r.Body.SizeRange.File + ":" + itoa(r.Body.SizeRange.Start.Line) + " (" + r.Body.SizeWhat + ")"
		}
		for _, st := range r.Streams {
			s += " stream " + st.What + " @" + itoa(st.Range.Start.Line)
		}
		got = append(got, s)
	}
	want := []string{
		"GET /events /v1/events,/v2/events @19 stream text/event-stream @24",
		"GET /files /v1/files,/v2/files @10",
		"POST /files /v1/files,/v2/files @13 body multipart/form-data size 20971520 @schemas.yaml:8 (maxLength 20971520 (contentMediaType: image/png) of property file of the multipart/form-data body)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := sp.Routes[0].Servers[1].Host; h != "eu.example.com" {
		t.Errorf("server variable not substituted: %q", h)
	}
}

func TestSwagger2(t *testing.T) {
	sp := parseTree(t, map[string]string{
		"root/api.json": `{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "host": "api.example.com",
  "basePath": "/v2",
  "paths": {
    "/pet/{id}/upload": {
      "post": {
        "consumes": ["application/octet-stream"],
        "parameters": [
          {"name": "id", "in": "path", "required": true, "type": "string"},
          {"name": "body", "in": "body", "schema": {"type": "string", "format": "binary", "maxLength": 5242880}}
        ],
        "responses": {"200": {"description": "ok"}}
      }
    }
  }
}
`,
	}, "api.json")
	if !sp.Loaded || len(sp.Routes) != 1 {
		t.Fatalf("not loaded: %v", sp.Problems)
	}
	r := sp.Routes[0]
	if p := strings.Join(r.Paths(), ","); p != "/v2/pet/{id}/upload" || r.Servers[0].Host != "api.example.com" || r.Servers[0].Range.Start.Line != 4 {
		t.Errorf("paths %s host %s at %d", p, r.Servers[0].Host, r.Servers[0].Range.Start.Line)
	}
	if r.Body == nil || r.Body.Size != 5242880 || r.Body.SizeRange.Start.Line != 12 || r.Range.Start.Line != 8 {
		t.Errorf("route at %v, body %+v at %v", r.Range, r.Body, r.Body.SizeRange)
	}
}

func TestDoesNotLoad(t *testing.T) {
	sp := parseTree(t, map[string]string{"root/api.yaml": "openapi: 3.0.0\ninfo: {title: t\npaths: {}\n"}, "api.yaml")
	if sp.Loaded || len(sp.Problems) != 1 || sp.Problems[0].Kind != parsers.ProblemParse || sp.Problems[0].Range.Start.Line < 2 {
		t.Fatalf("problems %+v", sp.Problems)
	}
	sp = parseTree(t, map[string]string{"root/api.yaml": "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n"}, "api.yaml")
	if sp.Loaded || len(sp.Problems) != 1 || sp.Problems[0].Kind != parsers.ProblemParse || sp.Problems[0].Range.Start.Line != 6 ||
		!strings.Contains(sp.Problems[0].Message, "cannot unmarshal number into field Operation.responses") || strings.Contains(sp.Problems[0].Message, "yaml error") {
		t.Fatalf("problems %+v", sp.Problems)
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// TestSwagger2FormDataAndProduces: a formData file field with maxLength is
// the declared size (placed at that parameter), and produces:
// text/event-stream makes the response stream (placed at produces).
func TestSwagger2FormDataAndProduces(t *testing.T) {
	sp := parseTree(t, map[string]string{
		"root/api.yaml": `swagger: "2.0"
info: {title: t, version: "1"}
basePath: /api
paths:
  /upload:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: note, in: formData, type: string}
        - name: file
          in: formData
          type: file
          maxLength: 3000000
      responses:
        "200": {description: ok}
  /events:
    get:
      produces: [text/event-stream]
      responses:
        "200": {description: events}
`,
	}, "api.yaml")
	if !sp.Loaded || len(sp.Routes) != 2 {
		t.Fatalf("not loaded: %v", sp.Problems)
	}
	ev, up := sp.Routes[0], sp.Routes[1]
	if ev.Label() != "GET /events" || len(ev.Streams) != 1 || ev.Streams[0].What != "text/event-stream" || ev.Streams[0].Range.Start.Line != 18 {
		t.Errorf("events route %+v", ev)
	}
	if p := strings.Join(up.Paths(), ","); p != "/api/upload" || up.Servers[0].Host != "" {
		t.Errorf("upload paths %s host %q", p, up.Servers[0].Host)
	}
	if up.Body == nil || up.Body.Size != 3000000 || up.Body.SizeRange.Start.Line != 13 {
		t.Errorf("upload body %+v", up.Body)
	}
}

func TestNotASpecOrOtherVersion(t *testing.T) {
	sp := parseTree(t, map[string]string{"root/package.json": `{"name": "x", "scripts": {"swagger": "node gen.js"}}`}, "package.json")
	if sp.Loaded || len(sp.Problems) != 0 {
		t.Errorf("a JSON file with a nested swagger key: loaded %v, problems %v", sp.Loaded, sp.Problems)
	}
	sp = parseTree(t, map[string]string{"root/values.yaml": "swagger:\n  enabled: true\nopenapi: yes\n"}, "values.yaml")
	if sp.Loaded || len(sp.Problems) != 0 {
		t.Errorf("a values file with a swagger: section: loaded %v, problems %v", sp.Loaded, sp.Problems)
	}
	sp = parseTree(t, map[string]string{"root/api.json": `{"swaggerVersion": "1.2", "swagger": "1.2", "apis": []}`}, "api.json")
	if sp.Loaded || len(sp.Problems) != 1 || sp.Problems[0].Kind != parsers.ProblemSkipped || !strings.Contains(sp.Problems[0].Message, "Swagger 1.2 is not a version hoplint reads") {
		t.Errorf("Swagger 1.2: %v", sp.Problems)
	}
}

func TestSizeInAlternatives(t *testing.T) {
	sp := parseTree(t, map[string]string{"root/api.yaml": `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /media:
    put:
      requestBody:
        content:
          multipart/form-data:
            schema:
              oneOf:
                - type: object
                  properties:
                    image: {type: string, contentMediaType: image/png, maxLength: 1000}
                - type: object
                  properties:
                    video:
                      type: array
                      items: {type: string, format: binary, maxLength: 9000}
      responses:
        "204": {description: ok}
`}, "api.yaml")
	if !sp.Loaded || len(sp.Routes) != 1 || sp.Routes[0].Body == nil {
		t.Fatalf("not loaded: %v", sp.Problems)
	}
	b := sp.Routes[0].Body
	if b.Size != 9000 || b.SizeRange.Start.Line != 18 || !strings.Contains(b.SizeWhat, "of the items of property video") {
		t.Errorf("body %+v at %v", b, b.SizeRange)
	}
}
