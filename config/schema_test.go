package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/txtar"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/rules"
)

// The JSON Schema of .hoplint.yml that editors validate and complete with
// must say what the loader says. Its rules section is generated from the
// rule catalog: after adding a rule or a param, run
//
//	go test ./config -run TestSchemaRules -update
var update = flag.Bool("update", false, "rewrite the rules section of schema/hoplint.schema.json from the rule catalog")

const schemaFile = "../schema/hoplint.schema.json"

func readSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("hoplint.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("hoplint.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// mapFields are the configuration's maps, whose keys the schema may list
// (products, rules) or leave open (chart directories); config.Keys writes
// their keys as these names.
var mapFields = map[string]string{"versions": "PRODUCT", "rules": "RULE", "charts": "DIR", "images": "IMAGE"}

// schemaKeys collects the key paths the schema takes, written as
// config.Keys writes them.
func schemaKeys(root, s map[string]any, where string, out map[string]bool, depth int) {
	if depth > 20 {
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/definitions/")
		defs, _ := root["definitions"].(map[string]any)
		if d, ok := defs[name].(map[string]any); ok {
			schemaKeys(root, d, where, out, depth+1)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := s[k].([]any)
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				schemaKeys(root, m, where, out, depth+1)
			}
		}
	}
	last := where
	if i := strings.LastIndexByte(where, '.'); i >= 0 {
		last = where[i+1:]
	}
	placeholder := mapFields[last]
	props, _ := s["properties"].(map[string]any)
	for name, v := range props {
		m, _ := v.(map[string]any)
		if placeholder != "" {
			schemaKeys(root, m, where+"."+placeholder, out, depth+1)
			continue
		}
		p := name
		if where != "" {
			p = where + "." + name
		}
		out[p] = true
		if name != "params" { // params are each rule's: TestSchemaRules
			schemaKeys(root, m, p, out, depth+1)
		}
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok && placeholder != "" {
		schemaKeys(root, ap, where+"."+placeholder, out, depth+1)
	}
	if items, ok := s["items"].(map[string]any); ok {
		schemaKeys(root, items, where+"[]", out, depth+1)
	}
}

// TestSchemaMatchesLoader: every key the loader takes is in the schema,
// and every key of the schema is one the loader takes.
func TestSchemaMatchesLoader(t *testing.T) {
	s := readSchema(t)
	got := map[string]bool{}
	schemaKeys(s, s, "", got, 0)
	want := map[string]bool{}
	for _, k := range config.Keys() {
		want[k] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("the loader takes %s, the schema does not", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("the schema takes %s, the loader does not", k)
		}
	}
	props := s["properties"].(map[string]any)
	var products []string
	for p := range props["versions"].(map[string]any)["properties"].(map[string]any) {
		products = append(products, p)
	}
	sort.Strings(products)
	if !reflect.DeepEqual(products, config.Products) {
		t.Errorf("schema versions %v, loader reads %v", products, config.Products)
	}
}

// ruleSchemas is the rules section as the catalog makes it: each rule,
// described by its title and default severity, with exactly its params.
func ruleSchemas() map[string]any {
	out := map[string]any{}
	for _, r := range rules.All() {
		params := map[string]any{"type": "object", "additionalProperties": false}
		if len(r.Params) == 0 {
			params["description"] = "this rule has no params"
			params["maxProperties"] = 0
		} else {
			props := map[string]any{}
			for _, p := range r.Params {
				props[p.Name] = map[string]any{
					"type":        []any{"string", "number"},
					"description": p.Doc + " (default " + p.Default + ")",
				}
			}
			params["properties"] = props
		}
		out[r.ID] = map[string]any{
			"description": r.Title + " (default: " + r.Severity.String() + ")",
			"allOf": []any{
				map[string]any{"$ref": "#/definitions/rule"},
				map[string]any{"properties": map[string]any{"params": params}},
			},
		}
	}
	return out
}

// TestSchemaRules: the schema lists every rule and its params, and no
// other, so that editors complete rule IDs and refuse typos in them.
func TestSchemaRules(t *testing.T) {
	s := readSchema(t)
	rulesSchema := s["properties"].(map[string]any)["rules"].(map[string]any)
	want := ruleSchemas()
	// Compare as JSON values (numbers and lists as json.Unmarshal makes them).
	var wantJSON any
	b, _ := json.Marshal(want)
	_ = json.Unmarshal(b, &wantJSON)
	if reflect.DeepEqual(rulesSchema["properties"], wantJSON) {
		return
	}
	if !*update {
		t.Fatalf("the rules section of %s is not the rule catalog's; run go test ./config -run TestSchemaRules -update", schemaFile)
	}
	rulesSchema["properties"] = wantJSON
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(schemaFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// toJSON turns YAML into the JSON value an editor validates.
func toJSON(t *testing.T, yml string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(yml), &v); err != nil {
		t.Fatalf("%q: %v", yml, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%q: %v", yml, err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// loads reports whether hoplint takes yml: the loader and the rule checks.
func loads(yml string) error {
	cfg, err := config.Parse([]byte(yml))
	if err != nil {
		return err
	}
	return rules.Check(cfg, rules.Options{})
}

// configExamples are the .hoplint.yml files shown to users: the README's
// Configuration section, docs/rules.md, examples/, and the test cases.
func configExamples(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Configuration\n")
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) == 0 {
		t.Fatal("no yaml block in the README's Configuration section")
	}
	for i, b := range blocks {
		out["README.md Configuration block "+string(rune('1'+i))] = b[1]
	}
	docs, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, part := range strings.Split(string(docs), "-- .hoplint.yml --\n")[1:] {
		end := regexp.MustCompile("(?m)^(-- |```)").FindStringIndex(part)
		if end != nil {
			part = part[:end[0]]
		}
		out["docs/rules.md .hoplint.yml "+string(rune('1'+i))] = part
	}
	files, _ := filepath.Glob("../examples/*/.hoplint.yml")
	archives, _ := filepath.Glob("../testdata/*/*.txtar")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(data)
	}
	for _, a := range archives {
		ar, err := txtar.ParseFile(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if filepath.Base(f.Name) == config.DefaultFile {
				out[a+" "+f.Name] = string(f.Data)
			}
		}
	}
	return out
}

// TestSchemaExamples: every configuration hoplint takes validates, and
// every one it refuses for a key validates not.
func TestSchemaExamples(t *testing.T) {
	sch := compileSchema(t)
	n := 0
	for name, yml := range configExamples(t) {
		err := loads(yml)
		verr := sch.Validate(toJSON(t, yml))
		var ce *config.Error
		switch {
		case err == nil && verr != nil:
			t.Errorf("%s: hoplint takes it, the schema refuses it: %v", name, verr)
		case errors.As(err, &ce) && strings.Contains(ce.Msg, "unknown") && verr == nil:
			t.Errorf("%s: hoplint refuses it (%v), the schema takes it", name, err)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d examples found", n)
	}
	for _, yml := range []string{
		"rule_s: x\n",
		"rules:\n  lingering-close-off:\n    enable: false\n",
		"rules:\n  lingering-close-off:\n    severty: error\n",
		"rules:\n  memory-limit-too-small:\n    param: {min: 1Mi}\n",
		"rules:\n  memory-limit-too-small:\n    params: {minimum: 1Mi}\n",
		"rules:\n  lingering-close-off:\n    params: {min: 1Mi}\n",
		"rules:\n  lingering-close: off\n",
		"rules:\n  lingering-close-off: sometimes\n",
		"rules:\n  lingering-close-off:\n    exclude: [../x]\n",
		"versions: {ngnix: \"1.27\"}\n",
		"versions: {nginx: latest}\n",
		"link: loose\n",
		"rules:\n  lingering-close-off: {enabled: maybe}\n",
		"charts:\n  deploy/chart: {value: [a.yaml]}\n",
		"terraform: {varfiles: [a.tfvars]}\n",
		"stacks:\n  - name: web\n    hop: [a.tf#aws_lb.web]\n",
	} {
		if loads(yml) == nil {
			t.Errorf("%q: hoplint takes it", yml)
		}
		if sch.Validate(toJSON(t, yml)) == nil {
			t.Errorf("%q: the schema takes it", yml)
		}
	}
	for _, yml := range []string{
		"",
		"rules:\n  lingering-close-off: Off\n  keepalive-order: true\n  body-size-order: warning\n",
		"rules:\n  stream-cut-by-timeout:\n    severity: Error\n    params: {longest-silence: 90s}\n    exclude: [legacy/**]\n",
		"versions: {nginx: \"1.27\", apache: 2.4}\n",
		"stacks:\n  - name: web\n    hops: [alb.tf#aws_lb.web, nginx/nginx.conf]\n",
		"rules:\n  lingering-close-off: {enabled: yes}\n  keepalive-order: {enabled: Off}\n",
	} {
		if err := loads(yml); err != nil {
			t.Errorf("%q: %v", yml, err)
		}
		if err := sch.Validate(toJSON(t, yml)); err != nil {
			t.Errorf("%q: the schema refuses it: %v", yml, err)
		}
	}
}
