package render

import (
	"testing"
	"time"
)

// FuzzHelm renders a chart with an arbitrary template, helper and values
// file: nothing may panic (Helm's own panics must become a problem), and
// every rendered line maps to a source position, and the render ends
// within the worker's time bound (TestMain renders in workers, as the CLI
// does) whatever the template does.
func FuzzHelm(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n  - name: c\n    image: {{ .Values.image }}\n"), []byte("{{- define \"x\" }}a{{ end }}\n"), []byte("image: nginx:1.27\n"))
	f.Add([]byte("{{ include \"x\" . }}\n{{ tpl .Values.t . }}\n"), []byte("{{- define \"x\" }}{{ .Values.t }}{{ end }}\n"), []byte("t: '{{ .Release.Namespace }}'\n"))
	f.Add([]byte("{{ required \"need\" .Values.a }}"), []byte(""), []byte("a: &a [1]\nb: *a\n"))
	f.Add([]byte("{{ range $i, $e := .Values.l }}\n---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: c{{ $i }}}\n{{ end }}"), []byte("{{/* c */}}"), []byte("l: [a, b]\n"))
	f.Fuzz(func(t *testing.T, tmpl, helper, values []byte) {
		if len(tmpl)+len(helper)+len(values) > 1<<14 {
			return
		}
		dir := t.TempDir()
		files := writeFiles(t, dir, map[string]string{
			"c/Chart.yaml":       "apiVersion: v2\nname: c\nversion: 1.0.0\n",
			"c/values.yaml":      string(values),
			"c/templates/t.yaml": string(tmpl),
			"c/templates/_h.tpl": string(helper),
		})
		start := time.Now()
		out, _ := Render(files, Options{WorkDir: dir})
		if d := time.Since(start); d > helmWallTimeout+5*time.Second {
			t.Fatalf("rendering took %s, over the worker's bound of %s", d, helmWallTimeout)
		}
		checkMapped(t, out)
	})
}
