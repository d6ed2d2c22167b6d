// Package config reads .hoplint.yml: which rules run and how, what to
// ignore, which product versions to assume, and declared request paths.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultFile is looked up (see Find) when --config is not given.
const DefaultFile = ".hoplint.yml"

// Products are the names versions: may set, each read by some part of
// hoplint. Any other key is a typo and an error.
var Products = []string{"apache", "gunicorn", "ingress-nginx", "nginx", "node", "puma", "uvicorn"}

// Config is the parsed .hoplint.yml. The zero value is the default
// configuration: every rule at its default severity, nothing ignored, no
// versions assumed, inference allowed.
type Config struct {
	// Versions maps a product ("nginx", "apache", "ingress-nginx", "gunicorn",
	// "puma", "node") to the version to assume where a file does not say.
	Versions map[string]string `yaml:"versions"`
	// Rules switches rules on or off and sets their severity and params.
	Rules map[string]RuleConfig `yaml:"rules"`
	// Ignore holds doublestar globs of paths not to lint.
	Ignore []string `yaml:"ignore"`
	// Link is "" (infer links, including single-candidate assumptions) or
	// "strict" (only declared and referenced links).
	Link string `yaml:"link"`
	// Stacks declares request paths hop by hop.
	Stacks []Stack `yaml:"stacks"`
	// Terraform options.
	Terraform Terraform `yaml:"terraform"`
	// Charts names, per Helm chart directory, the values files to render
	// it with besides its values.yaml.
	Charts map[string]Chart `yaml:"charts"`
	// Images names, per container image (registry/name, tag ignored), the
	// Dockerfile the repository builds it from, relative to this file:
	// for Kubernetes and ECS containers whose image no compose service
	// builds (a CI job does), so that they run what that Dockerfile says.
	Images map[string]Image `yaml:"images"`

	// File is where the configuration was read from ("" for defaults).
	File string `yaml:"-"`
	// Lines maps a key path ("versions.nginx", "rules.ID",
	// "rules.ID.params.NAME") to its line, for errors that point at it.
	Lines map[string]int `yaml:"-"`
}

// Error is a configuration error at a line of the file. Its text names the
// file and line and describes what is wrong, but never quotes the file's
// content: a configuration can be a symbolic link to anything.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Errorf makes an Error at the line of key (see Lines).
func (c *Config) Errorf(key, format string, args ...any) error {
	return &Error{File: c.File, Line: c.Lines[key], Msg: fmt.Sprintf(format, args...)}
}

// RuleConfig is one entry under rules:. In YAML it is either a bare switch
// (`rule: off`, `rule: on`), a severity (`rule: error`), or a mapping.
type RuleConfig struct {
	Enabled  *bool          `yaml:"enabled"`
	Severity string         `yaml:"severity"`
	Params   map[string]any `yaml:"params"`
	// Exclude holds doublestar globs, relative to the configuration's
	// directory like ignore's: the rule's findings whose primary location
	// is in a matching file are not reported. Unlike ignore, the files are
	// still read and linked, so other rules' findings and cross-file
	// findings that start elsewhere stay.
	Exclude []string `yaml:"exclude"`
}

// UnmarshalYAML accepts the short forms.
func (r *RuleConfig) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		v := strings.ToLower(n.Value)
		switch v {
		case "off", "false", "disabled", "no":
			f := false
			r.Enabled = &f
		case "on", "true", "enabled", "yes":
			t := true
			r.Enabled = &t
		case "error", "warning", "info":
			r.Severity = v
		default:
			return &Error{Line: n.Line, Msg: "a rule setting must be on, off, error, warning or info"}
		}
		return nil
	}
	type plain RuleConfig
	return n.Decode((*plain)(r))
}

// Stack is a declared request path: hops in order from the client inward,
// each named as FILE#OBJECT ("terraform/alb.tf#aws_lb.web",
// "nginx/nginx.conf#server:api.example.com:443", "k8s/app.yaml#Deployment/shop/web").
type Stack struct {
	Name string   `yaml:"name"`
	Hops []string `yaml:"hops"`
	Line int      `yaml:"-"`
}

// Terraform holds Terraform-specific options.
type Terraform struct {
	// VarFiles are extra .tfvars files, as `terraform -var-file` would take.
	VarFiles []string `yaml:"var_files"`
}

// Load reads path. A missing default file is not an error (defaults
// apply); a missing file named explicitly is.
func Load(path string, explicit bool) (*Config, error) {
	if !explicit {
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return &Config{}, nil
		}
	}
	return LoadFile(path, "")
}

// LoadFile reads and checks the configuration at path. When root is set
// (a file found by Find), a symbolic link there must resolve inside root.
// The file must be a regular file of at most MaxSize bytes.
func LoadFile(path, root string) (*Config, error) {
	data, err := readFile(path, root)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	c, err := Parse(data)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = path
			return nil, ce
		}
		return nil, &Error{File: path, Msg: err.Error()}
	}
	c.File = path
	return c, nil
}

// Dir is the directory of the configuration file ("" for defaults): ignore
// globs are relative to it.
func (c *Config) Dir() string {
	if c == nil || c.File == "" {
		return ""
	}
	abs, err := filepath.Abs(c.File)
	if err != nil {
		return ""
	}
	return filepath.Dir(abs)
}

// Parse decodes .hoplint.yml content, refusing unknown keys so that a typo
// ("rule:" for "rules:") is an error, not a silently ignored setting, and
// checking the versions: each key a product hoplint reads, each value a
// version.
func Parse(data []byte) (*Config, error) {
	c := &Config{}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return nil, yamlError(err)
	}
	if err := checkKeys(&node); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(err)
	}
	if err := validateCharts(c.Charts); err != nil {
		return nil, err
	}
	recordStackLines(&node, c)
	c.Lines = keyLines(&node)
	if err := c.checkExcludes(); err != nil {
		return nil, err
	}
	if err := c.validateImages(); err != nil {
		return nil, err
	}
	switch c.Link {
	case "", "infer", "strict":
	default:
		return nil, c.Errorf("link", "link must be \"infer\" or \"strict\"")
	}
	products := map[string]bool{}
	for _, p := range Products {
		products[p] = true
	}
	keys := make([]string, 0, len(c.Versions))
	for k := range c.Versions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !products[k] {
			return nil, c.Errorf("versions."+k, "versions: unknown product (hoplint reads versions of %s)", strings.Join(Products, ", "))
		}
		if !versionRe.MatchString(c.Versions[k]) {
			return nil, c.Errorf("versions."+k, "versions.%s is not a version: write digits separated by dots, like 1.27 or 2.4.62", k)
		}
	}
	return c, nil
}

var versionRe = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+){0,3}$`)

// yamlError restates a YAML error with its line only: yaml.v3's messages
// quote keys and values from the file ("cannot unmarshal !!str `…`").
func yamlError(err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	text := err.Error()
	line := 0
	if m := lineRe.FindStringSubmatch(text); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg := "not valid YAML"
	switch {
	case strings.Contains(text, "not found in type"):
		msg = "unknown key (see the Configuration section of the README)"
	case strings.Contains(text, "cannot unmarshal"):
		msg = "a value of the wrong type for its key"
	case strings.Contains(text, "already defined"), strings.Contains(text, "already set"):
		msg = "a key written twice"
	}
	return &Error{Line: line, Msg: msg}
}

var lineRe = regexp.MustCompile(`line ([0-9]+)`)

// keyLines records the line of each key that errors point at.
func keyLines(doc *yaml.Node) map[string]int {
	lines := map[string]int{}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return lines
	}
	var walk func(prefix string, m *yaml.Node, depth int)
	walk = func(prefix string, m *yaml.Node, depth int) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			key := prefix + m.Content[i].Value
			lines[key] = m.Content[i].Line
			if v := m.Content[i+1]; v.Kind == yaml.MappingNode && depth < 3 {
				walk(key+".", v, depth+1)
			}
		}
	}
	walk("", doc.Content[0], 0)
	return lines
}

// Chart is one entry under charts:.
type Chart struct {
	// Values are values files relative to the chart directory, applied
	// after values.yaml in order, as `helm template -f` applies them.
	Values []string `yaml:"values"`
}

// leavesDir reports whether relative path p, with / or \ separators, may
// name something outside the directory it is relative to: absolute, or
// with a .. component.
func leavesDir(p string) bool {
	clean := strings.ReplaceAll(p, "\\", "/")
	return strings.HasPrefix(clean, "/") || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(clean, "/../")
}

// validateCharts refuses values paths that could leave the chart (absolute
// or with ..): hoplint never reads outside the linted tree.
func validateCharts(charts map[string]Chart) error {
	for _, dir := range sortedChartDirs(charts) {
		if dir == "" {
			return errors.New("charts: a chart directory must be named")
		}
		for _, v := range charts[dir].Values {
			if v == "" || leavesDir(v) {
				return fmt.Errorf("charts: %s: values file %q must be a path inside the chart", dir, v)
			}
		}
	}
	return nil
}

// Image is one entry under images:: the Dockerfile that builds the image
// and, when the build names one (docker build --target), its stage. In
// YAML it is either the Dockerfile's path alone or a mapping.
type Image struct {
	Dockerfile string `yaml:"dockerfile"`
	Target     string `yaml:"target"`
}

// UnmarshalYAML takes the short form (a path) or the mapping.
func (im *Image) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&im.Dockerfile)
	}
	type plain Image
	return n.Decode((*plain)(im))
}

// validateImages refuses an image entry with no name or a Dockerfile path
// that could leave the configuration's directory.
func (c *Config) validateImages() error {
	for _, ref := range c.ImageRefs() {
		df := c.Images[ref].Dockerfile
		if strings.TrimSpace(ref) == "" {
			return c.Errorf("images."+ref, "images: an image must be named")
		}
		if df == "" || leavesDir(df) || filepath.IsAbs(df) {
			return c.Errorf("images."+ref, "images: %s: the Dockerfile must be a path inside the directory of this file", ref)
		}
	}
	return nil
}

// ImageRefs returns the images named under images:, sorted.
func (c *Config) ImageRefs() []string {
	if c == nil {
		return nil
	}
	refs := make([]string, 0, len(c.Images))
	for r := range c.Images {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	return refs
}

func sortedChartDirs(charts map[string]Chart) []string {
	dirs := make([]string, 0, len(charts))
	for d := range charts {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// ChartValues returns the extra values files of each chart directory.
func (c *Config) ChartValues() map[string][]string {
	if c == nil || len(c.Charts) == 0 {
		return nil
	}
	out := make(map[string][]string, len(c.Charts))
	for d, ch := range c.Charts {
		out[strings.TrimSuffix(d, "/")] = ch.Values
	}
	return out
}

func recordStackLines(doc *yaml.Node, c *Config) {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "stacks" && m.Content[i+1].Kind == yaml.SequenceNode {
			for j, s := range m.Content[i+1].Content {
				if j < len(c.Stacks) {
					c.Stacks[j].Line = s.Line
				}
			}
		}
	}
}

// Strict reports whether links must be declared or referenced, never assumed.
func (c *Config) Strict() bool { return c != nil && c.Link == "strict" }

// Version returns the assumed version of product, or "".
func (c *Config) Version(product string) string {
	if c == nil {
		return ""
	}
	return c.Versions[product]
}

// RuleIDs lists the rule IDs the configuration mentions, sorted, so that the
// caller can reject unknown ones.
func (c *Config) RuleIDs() []string {
	var ids []string
	for id := range c.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
