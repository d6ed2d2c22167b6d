package render

import (
	"fmt"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
)

// Charts whose values are given at install time. Many repositories keep
// values that several charts share in a file next to them and pass it with
// `helm install -f` (eShopOnContainers' app.yaml and inf.yaml); rendered
// with only its own values.yaml, such a chart stops at the first template
// that reads one of them ("nil pointer evaluating interface {}.svc"), and
// every other template of the chart is lost. hoplint leaves out the
// templates that read values nobody set, says which value each needs, and
// lints the rest.

// unsetValueRe finds the field chain Helm was evaluating when it met a nil
// map: "at <.Values.app.svc.basket>: nil pointer evaluating interface {}.svc".
var unsetValueRe = lazyRegexp(`at <(\.Values(?:\.[A-Za-z0-9_-]+)+)>: nil pointer evaluating`)

// unsetValuesCause says ("" when it cannot) when a render error comes from a
// value that neither the chart's values.yaml nor the values given set: the
// first key of the chain that is absent or null.
func unsetValuesCause(errText string, ch *chart.Chart, vals map[string]any) string {
	m := unsetValueRe().FindStringSubmatch(errText)
	if m == nil {
		return ""
	}
	keys := strings.Split(strings.TrimPrefix(m[1], ".Values."), ".")
	merged := mergeValues(ch.Values, vals)
	var cur any = merged
	for i, k := range keys[:len(keys)-1] {
		mp, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		v, set := mp[k]
		if !set || v == nil {
			path := ".Values." + strings.Join(keys[:i+1], ".")
			return fmt.Sprintf("it reads %s, and neither the chart's values.yaml nor the values files named for it set %s (are they given at install time with helm -f?); a values file inside the chart can be named under charts: in .hoplint.yml so that hoplint renders this template with it", m[1], path)
		}
		cur = v
	}
	return ""
}
