package render

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart"

	"github.com/hoplint/hoplint/parsers"
)

// Dependencies that Chart.yaml lists but charts/ does not hold (nobody
// ran `helm dependency build`, or charts/ is gitignored): helm template
// refuses such a chart, but the chart's own objects are what its authors
// wrote and what hoplint can lint. So the chart is rendered without them,
// as Helm renders it when values disable them, and each gets one note on
// its entry in Chart.yaml.

// dependencyLine is the line of m's entry under dependencies: in
// Chart.yaml (its name key), else the first line that names it, else the
// chart's head line.
func dependencyLine(cf *parsers.File, m missingDep) parsers.Range {
	var doc yaml.Node
	if yaml.Unmarshal(cf.Bytes(), &doc) == nil && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
		top := doc.Content[0]
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value != "dependencies" || top.Content[i+1].Kind != yaml.SequenceNode {
				continue
			}
			for _, item := range top.Content[i+1].Content {
				if item.Kind != yaml.MappingNode {
					continue
				}
				var nameKey *yaml.Node
				name, alias := "", ""
				for j := 0; j+1 < len(item.Content); j += 2 {
					switch item.Content[j].Value {
					case "name":
						nameKey, name = item.Content[j], item.Content[j+1].Value
					case "alias":
						alias = item.Content[j+1].Value
					}
				}
				if nameKey != nil && name == m.Name && alias == m.Alias {
					return cf.LineRange(nameKey.Line)
				}
			}
		}
	}
	return lineWith(cf, "name: "+m.Name)
}

// missingMessage says what a missing dependency costs and how to vendor it.
func missingMessage(dirRel string, m missingDep) string {
	what := "dependency " + m.Name
	var detail []string
	if m.Alias != "" {
		detail = append(detail, "alias "+m.Alias)
	}
	if m.Version != "" {
		detail = append(detail, "version "+m.Version)
	}
	if m.Repository != "" {
		detail = append(detail, "from "+m.Repository)
	}
	if len(detail) > 0 {
		what += " (" + strings.Join(detail, ", ") + ")"
	}
	build := fmt.Sprintf("`helm dependency build %s`", dirRel)
	if m.Disabled {
		cond := ""
		if m.Condition != "" {
			cond = " (condition " + m.Condition + ")"
		}
		return fmt.Sprintf("%s is not in charts/, so hoplint renders the chart without it; the values switch it off%s, so it would add no objects and nothing is lost. helm template itself refuses the chart until %s puts it in charts/", what, cond, build)
	}
	return fmt.Sprintf("%s is not in charts/, so hoplint renders the chart without it, as helm template does with the dependency disabled: the objects it adds are not linted. Run %s and commit charts/ (or copy the chart into charts/) to lint them; helm template itself refuses the chart until then", what, build)
}

var noTemplateRe = lazyRegexp(`no template "([^"]+)"`)

// missingCause says ("" when it cannot), after a render error, when the error comes from a
// missing dependency: a named template the chart does not define (the
// dependency's helpers, or a library chart's), or values the dependency's
// own values.yaml would have set.
func missingCause(errText string, missing []missingDep) string {
	if len(missing) == 0 {
		return ""
	}
	var names []string
	for _, m := range missing {
		names = append(names, m.key())
	}
	if sm := noTemplateRe().FindStringSubmatch(errText); sm != nil {
		for _, m := range missing {
			for _, k := range []string{m.key(), m.Name} {
				if strings.HasPrefix(sm[1], k+".") {
					return fmt.Sprintf("template %q is not defined in this chart: it most likely comes from dependency %s, which is not in charts/", sm[1], k)
				}
			}
		}
		return fmt.Sprintf("template %q is not defined in this chart: it most likely comes from a dependency that is not in charts/ (%s)", sm[1], strings.Join(names, ", "))
	}
	if strings.Contains(errText, "nil pointer evaluating") {
		for _, k := range names {
			for _, p := range []string{".Values." + k + ".", ".Values." + k + ">", ".Subcharts." + k} {
				if strings.Contains(errText, p) {
					return fmt.Sprintf("the template reads values of dependency %s, which its own values.yaml would set; it is not in charts/, so they are empty", k)
				}
			}
		}
	}
	return ""
}

// droppedTemplate is a template rendered without it, and Helm's error.
type droppedTemplate struct {
	Name  string `json:"name"` // as Helm names it: "chart/templates/x.yaml"
	Err   string `json:"err"`
	Cause string `json:"cause"` // why it was left out, as the message says it

}

// failedTemplate is the template Helm was rendering when it failed (the
// first position of its error), if the error names one.
func failedTemplate(errText string) string {
	m := tmplErrRe().FindStringSubmatch(errText)
	if m == nil {
		return ""
	}
	return m[1]
}

// removeTemplate removes the template Helm names n ("chart/templates/
// x.yaml", or "chart/charts/sub/templates/x.yaml" in a dependency) from
// ch, so that Helm does not render it.
func removeTemplate(ch *chart.Chart, n string) bool {
	_, rest, ok := strings.Cut(n, "/")
	if !ok {
		return false
	}
	for i, t := range ch.Templates {
		if t.Name == rest {
			ch.Templates = append(ch.Templates[:i:i], ch.Templates[i+1:]...)
			return true
		}
	}
	if sub, ok := strings.CutPrefix(rest, "charts/"); ok {
		for _, d := range ch.Dependencies() {
			if strings.HasPrefix(sub, d.Name()+"/") && removeTemplate(d, sub) {
				return true
			}
		}
	}
	return false
}

func inParens(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
