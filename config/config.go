// Package config reads .hoplint.yml: which rules run and how, what to
// ignore, which product versions to assume, and declared request paths.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultFile is looked up in the working directory when --config is not given.
const DefaultFile = ".hoplint.yml"

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

	// File is where the configuration was read from ("" for defaults).
	File string `yaml:"-"`
}

// RuleConfig is one entry under rules:. In YAML it is either a bare switch
// (`rule: off`, `rule: on`), a severity (`rule: error`), or a mapping.
type RuleConfig struct {
	Enabled  *bool          `yaml:"enabled"`
	Severity string         `yaml:"severity"`
	Params   map[string]any `yaml:"params"`
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
			return fmt.Errorf("line %d: rule setting %q is not on, off, error, warning or info", n.Line, n.Value)
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
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return &Config{}, nil
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.File = path
	return c, nil
}

// Parse decodes .hoplint.yml content, refusing unknown keys so that a typo
// ("rule:" for "rules:") is an error, not a silently ignored setting.
func Parse(data []byte) (*Config, error) {
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch c.Link {
	case "", "infer", "strict":
	default:
		return nil, fmt.Errorf("link: %q is not \"infer\" or \"strict\"", c.Link)
	}
	if err := validateCharts(c.Charts); err != nil {
		return nil, err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err == nil {
		recordStackLines(&node, c)
	}
	return c, nil
}

// Chart is one entry under charts:.
type Chart struct {
	// Values are values files relative to the chart directory, applied
	// after values.yaml in order, as `helm template -f` applies them.
	Values []string `yaml:"values"`
}

// validateCharts refuses values paths that could leave the chart (absolute
// or with ..): hoplint never reads outside the linted tree.
func validateCharts(charts map[string]Chart) error {
	for _, dir := range sortedChartDirs(charts) {
		if dir == "" {
			return errors.New("charts: a chart directory must be named")
		}
		for _, v := range charts[dir].Values {
			clean := strings.ReplaceAll(v, "\\", "/")
			if v == "" || strings.HasPrefix(clean, "/") || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(clean, "/../") {
				return fmt.Errorf("charts: %s: values file %q must be a path inside the chart", dir, v)
			}
		}
	}
	return nil
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
