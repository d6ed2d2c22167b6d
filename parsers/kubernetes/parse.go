package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/hoplint/hoplint/parsers"
)

// IgnoreAnnotation silences rules on the object that carries it:
// hoplint.dev/ignore: "rule,rule -- reason".
const IgnoreAnnotation = "hoplint.dev/ignore"

// Parse reads every document of f. It never fails: what it cannot read
// becomes a Problem, and the other documents are still read.
func Parse(f *parsers.File) *Result {
	res := &Result{File: f}
	data := f.Bytes()
	// A file is a Helm template when it does not parse as YAML (below);
	// templates inside a chart never get here: the render stage renders
	// the chart. "{{ }}" inside string values (Argo Workflows, Prometheus
	// alerts, Alertmanager templates, placeholders) is ordinary YAML.
	docs := splitDocuments(data)
	var comments parsers.YAMLComments
	whole, wholeOK := decodeWhole(f, data, docs)
	for i, d := range docs {
		var doc yaml.Node
		var err error
		base := d.line
		switch {
		case wholeOK && whole[i] != nil:
			doc, base = *whole[i], 0 // the decoder's lines are the file's
		case wholeOK:
			// Nothing but comments and blank lines: no document.
		default:
			if p := tooManyNodes(f, d.data, d.line); p != nil {
				res.Problems = append(res.Problems, *p)
				continue
			}
			err = yaml.Unmarshal(d.data, &doc)
		}
		if err == nil && f.Map == nil && bytes.Contains(d.data, []byte("{{")) && mappingKey(&doc, 0) {
			// "{{ .Values.x }}" parses only as a flow mapping used as a
			// mapping key, which no manifest has: a template.
			err = errTemplate
		}
		if err != nil {
			if bytes.Contains(data, []byte("{{")) {
				// Template syntax that broke the YAML: a chart template
				// outside any chart (no Chart.yaml above it).
				res.Objects, res.Problems, res.Suppressions = nil, nil, nil
				res.skip(templateLine(data))
				return res
			}
			res.Problems = append(res.Problems, parseProblem(f, d.line, err))
			continue
		}
		if len(doc.Content) == 0 {
			// Only comments (a header above the first "---"): yaml.v3
			// keeps none of them, yet a hoplint:ignore-file may be here.
			for _, l := range bytes.Split(d.data, []byte("\n")) {
				if t := strings.TrimSpace(string(l)); strings.HasPrefix(t, "#") {
					comments.Add(t)
				}
			}
			continue
		}
		n := countNodes(&doc, 0)
		if expandedSize(&doc, map[*yaml.Node]int{}, 0) > 64*n+100000 {
			// Refuse before walking: a reader that followed these aliases
			// would visit exponentially many nodes.
			res.Problems = append(res.Problems, parsers.Problem{
				Kind: parsers.ProblemParse, Range: f.LineRange(firstContentLine(f, d.line+1)), Message: budgetMessage,
			})
			continue
		}
		r := &reader{f: f, base: base, budget: 16*n + 4096}
		comments.Collect(&doc)
		before := len(res.Objects)
		res.document(r, doc.Content[0], d)
		if r.blown {
			res.Objects = res.Objects[:before]
			res.Problems = append(res.Problems, parsers.Problem{
				Kind: parsers.ProblemParse, Range: f.LineRange(d.line + 1), Message: budgetMessage,
			})
		}
	}
	res.Comments = comments.Locate(f)
	return res
}

func (res *Result) skip(line int) {
	res.Skipped = true
	// The YAML did not parse, so its comments come from the lines: a
	// suppression in a chart template still applies to what it renders.
	for i := 1; i <= res.File.NumLines(); i++ {
		text := res.File.Line(i)
		if c := parsers.YAMLCommentStart(text); c >= 0 {
			res.Comments = append(res.Comments, parsers.Comment{Line: i, Col: c + 1, Text: strings.Clone(strings.TrimRight(text[c+1:], " \t"))})
		}
	}
	res.Problems = append(res.Problems, parsers.Problem{
		Kind:  parsers.ProblemSkipped,
		Range: res.File.LineRange(line),
		Message: "this is a Helm chart template ({{ … }}) outside any chart hoplint was given (no Chart.yaml above it in the linted directory), not YAML until Helm renders it, so hoplint does not lint it; " +
			"lint the chart directory, or the rendered manifests: `helm template RELEASE CHART > rendered.yaml && hoplint rendered.yaml`",
	})
}

type document struct {
	line int // lines before the document in the file
	data []byte
	end  int // last line of the document (1-based, in the file)
}

// splitDocuments cuts the file at "---" and "..." markers at column 0 (a
// marker there always ends a document in YAML, even inside a block
// scalar), so that a broken document does not hide the others and each
// document's lines can be shifted back into the file.
func splitDocuments(data []byte) []document {
	var out []document
	start, startLine, line := 0, 0, 0
	for off := 0; off <= len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data) + 1
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(data)
		}
		text := bytes.TrimRight(data[off:end], "\r")
		if isMarker(text, "---") || isMarker(text, "...") {
			out = append(out, document{line: startLine, data: data[start:off], end: line})
			start, startLine = next, line+1
			if start > len(data) {
				start = len(data)
			}
		}
		line++
		off = next
	}
	if start < len(data) {
		out = append(out, document{line: startLine, data: data[start:], end: line})
	}
	return out
}

// decodeWhole decodes all of data's documents with one yaml.Decoder and
// returns, for each of docs, the document decoded from its lines (nil for
// one with nothing but comments). One parser per file instead of one per
// document: the parser's buffers were a tenth of what a tree of manifests
// allocated. ok is false when the documents must be read one by one, as
// Parse does for any file where something is off, so that a broken
// document does not hide the others and each problem keeps its line: a
// decoding error, a document over the size guard, template braces, or
// documents that do not line up with docs.
func decodeWhole(f *parsers.File, data []byte, docs []document) (out []*yaml.Node, ok bool) {
	if len(docs) < 2 || bytes.Contains(data, []byte("{{")) || otherBreaks(data) ||
		bytes.Contains(data, []byte(parsers.DirectiveMarker)) {
		// A directive comment ("# hoplint:ignore") is the only comment
		// hoplint keeps, and yaml.v3 attaches comments differently when
		// it reads documents in one stream: one at the end of a document,
		// or on a "---" line, is kept one way and dropped the other.
		return nil, false
	}
	for _, d := range docs {
		if tooManyNodes(f, d.data, d.line) != nil {
			return nil, false
		}
	}
	out = make([]*yaml.Node, len(docs))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	i := 0
	for {
		doc := new(yaml.Node)
		err := dec.Decode(doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, false
		}
		if len(doc.Content) == 0 || emptyDocument(doc.Content[0]) {
			// Comments alone between two markers: read alone, such a
			// document has no node; the decoder makes an empty null.
			continue
		}
		line := doc.Content[0].Line
		for i < len(docs) && docs[i].end < line {
			i++
		}
		if i == len(docs) || line <= docs[i].line || out[i] != nil {
			return nil, false
		}
		out[i] = doc
	}
	for i, d := range docs {
		if out[i] == nil && hasContent(d.data) {
			return nil, false
		}
	}
	return out, true
}

// otherBreaks reports line breaks other than "\n" (a "\r", NEL, LS, PS):
// yaml.v3 breaks lines there too, splitDocuments does not, so a marker
// after one would not end the same document both ways.
func otherBreaks(data []byte) bool {
	return bytes.IndexByte(data, '\r') >= 0 || bytes.Contains(data, []byte("\u0085")) ||
		bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029"))
}

// emptyDocument reports the null the decoder makes of a document with
// nothing in it.
func emptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && len(n.Content) == 0
}

// hasContent reports whether a document's text holds more than comments,
// blank lines and markers.
func hasContent(data []byte) bool {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' && !isMarker(t, "---") && !isMarker(t, "...") {
			return true
		}
	}
	return false
}

func isMarker(line []byte, m string) bool {
	if !bytes.HasPrefix(line, []byte(m)) {
		return false
	}
	rest := line[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t'
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func parseProblem(f *parsers.File, base int, err error) parsers.Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := base + 1
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil {
			line = base + n
			msg = strings.TrimSpace(strings.Replace(msg, m[0]+":", "", 1))
		}
	}
	if line > f.NumLines() {
		line = f.NumLines()
	}
	// yaml.v3 sometimes names the line before the problem; never point
	// at a blank or comment line.
	for line < f.NumLines() {
		t := strings.TrimSpace(f.Line(line))
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		line++
	}
	return parsers.Problem{Kind: parsers.ProblemParse, Range: f.LineRange(line), Message: "not valid YAML: " + msg}
}

// templateLine returns the line to report a template at: the first line
// that only a chart template has (an action starting the line, or on
// .Values, .Release, .Chart, include), else the first "{{".
func templateLine(data []byte) int {
	line := 0
	for _, raw := range bytes.Split(data, []byte("\n")) {
		line++
		if !bytes.Contains(raw, []byte("{{")) {
			continue
		}
		t := bytes.TrimSpace(raw)
		switch {
		case bytes.HasPrefix(t, []byte("{{")),
			bytes.Contains(t, []byte("{{-")), bytes.Contains(t, []byte("-}}")),
			bytes.Contains(t, []byte(".Values.")), bytes.Contains(t, []byte(".Release.")),
			bytes.Contains(t, []byte(".Chart.")), bytes.Contains(t, []byte("{{ include ")),
			bytes.Contains(t, []byte("{{ template ")):
			return line
		}
	}
	return firstLineWith(data, "{{")
}

var errTemplate = errors.New("template syntax")

// mappingKey reports whether some mapping in n has a mapping as a key.
func mappingKey(n *yaml.Node, depth int) bool {
	if n == nil || depth > 10000 || n.Kind == yaml.AliasNode {
		return false
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			if n.Content[i].Kind == yaml.MappingNode {
				return true
			}
		}
	}
	for _, c := range n.Content {
		if mappingKey(c, depth+1) {
			return true
		}
	}
	return false
}

func firstLineWith(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func countNodes(n *yaml.Node, depth int) int {
	if n == nil || depth > 10000 {
		return 0
	}
	c := 1
	for _, k := range n.Content {
		c += countNodes(k, depth+1)
	}
	return c
}

// expandedSize counts the nodes of n with every alias expanded, memoised
// per anchored node so that the count itself stays linear. It saturates.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, depth int) int {
	const limit = 1 << 40
	if n == nil || depth > 10000 {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return 1
		}
		if v, ok := memo[n.Alias]; ok {
			return v
		}
		memo[n.Alias] = limit // an alias cycle expands forever
		v := expandedSize(n.Alias, memo, depth+1)
		memo[n.Alias] = v
		return v
	}
	total := 1
	for _, c := range n.Content {
		total += expandedSize(c, memo, depth+1)
		if total > limit {
			return limit
		}
	}
	return total
}

func firstContentLine(f *parsers.File, line int) int {
	for line < f.NumLines() {
		t := strings.TrimSpace(f.Line(line))
		if t != "" && !strings.HasPrefix(t, "#") && t != "---" {
			break
		}
		line++
	}
	return line
}

// document reads one top-level node: an object, a List of objects, or
// anything else (skipped silently).
func (res *Result) document(r *reader, top *yaml.Node, d document) {
	top = r.resolve(top)
	if top == nil || top.Kind != yaml.MappingNode {
		return
	}
	kind := r.field(top, "kind").Value
	api := r.field(top, "apiVersion").Value
	if kind == "" || api == "" {
		return
	}
	if kind == "List" || strings.HasSuffix(kind, "List") {
		if _, items := r.get(top, "items"); items != nil {
			for _, it := range r.items(items) {
				res.object(r, it, r.span(nil, it))
				if r.blown {
					return
				}
			}
			return
		}
	}
	// The whole document, so that an annotation suppression covers
	// comments above the object too.
	rng := r.f.At(d.line+1, 1, d.end, 1)
	if d.end < d.line+1 {
		rng = r.span(nil, top)
	}
	res.object(r, top, rng)
}

func (res *Result) object(r *reader, m *yaml.Node, rng parsers.Range) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	o := Object{
		File:       r.f,
		APIVersion: r.field(m, "apiVersion").Value,
		Kind:       r.field(m, "kind").Value,
		Range:      rng,
	}
	if r.f.Map != nil {
		o.Scope = r.f.Path
	}
	if o.Kind == "" || o.APIVersion == "" {
		return
	}
	meta := r.path(m, "metadata")
	name := r.field(meta, "name")
	o.Name = name.Value
	o.NameRange = name.Range
	if !name.Set {
		o.NameRange = r.at(m)
	}
	o.Namespace = r.field(meta, "namespace").Value
	_, lab := r.get(meta, "labels")
	o.Labels = r.stringMap(lab)
	_, ann := r.get(meta, "annotations")
	o.Annotations = r.stringMap(ann)
	res.suppressions(&o, o.Annotations)

	spec := r.path(m, "spec")
	var obj Obj
	switch o.Kind {
	case "Pod":
		w := &Workload{Object: o, PodLabels: o.Labels, PodAnnotations: o.Annotations, Template: rng}
		w.Pod = r.podSpec(spec)
		w.Fragment = !r.namesImage(spec)
		obj = w
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "Rollout", "PodTemplate":
		tk, tmpl := r.get(spec, "template")
		if o.Kind == "PodTemplate" {
			tk, tmpl = r.get(m, "template")
		}
		obj = res.workload(r, o, tk, tmpl)
	case "CronJob":
		tk, tmpl := r.get(r.path(spec, "jobTemplate", "spec"), "template")
		obj = res.workload(r, o, tk, tmpl)
	case "Service":
		obj = r.service(o, spec)
	case "Ingress":
		obj = r.ingress(o, spec)
	case "IngressClass":
		ic := &IngressClass{Object: o, Controller: r.field(spec, "controller")}
		ic.IsDefault = o.Annotations.Get("ingressclass.kubernetes.io/is-default-class").Value == "true"
		obj = ic
	case "ConfigMap":
		_, data := r.get(m, "data")
		obj = &ConfigMap{Object: o, Data: r.stringMap(data)}
	case "LimitRange":
		lr := &LimitRange{Object: o}
		_, lims := r.get(spec, "limits")
		for _, l := range r.items(lims) {
			if t := r.field(l, "type").Value; t != "" && t != "Container" {
				continue
			}
			_, def := r.get(l, "default")
			_, max := r.get(l, "max")
			lr.DefaultLimits = mergeQuantities(lr.DefaultLimits, r.quantities(def))
			lr.MaxLimits = mergeQuantities(lr.MaxLimits, r.quantities(max))
		}
		obj = lr
	case "TargetGroupBinding":
		tgb := &TargetGroupBinding{Object: o}
		ref := r.path(spec, "serviceRef")
		tgb.ServiceName = r.field(ref, "name")
		tgb.ServicePort = r.field(ref, "port")
		tgb.TargetGroupARN = r.field(spec, "targetGroupARN")
		tgb.TargetType = r.field(spec, "targetType")
		obj = tgb
	default:
		if obj = r.gatewayObject(o, spec); obj == nil {
			obj = &Other{Object: o}
		}
	}
	res.Objects = append(res.Objects, obj)
}

func (res *Result) workload(r *reader, o Object, tk, tmpl *yaml.Node) Obj {
	w := &Workload{Object: o}
	if tmpl == nil {
		w.Template = o.Range
		w.Fragment = true
		return w
	}
	w.Template = r.span(tk, tmpl)
	meta := r.path(tmpl, "metadata")
	_, lab := r.get(meta, "labels")
	w.PodLabels = r.stringMap(lab)
	_, ann := r.get(meta, "annotations")
	w.PodAnnotations = r.stringMap(ann)
	res.suppressions(&w.Object, w.PodAnnotations)
	w.Pod = r.podSpec(r.path(tmpl, "spec"))
	w.Fragment = !r.namesImage(r.path(tmpl, "spec"))
	return w
}

// namesImage reports whether any container or init container of a pod
// spec has an image: key, whatever its value (a template may fill it).
func (r *reader) namesImage(spec *yaml.Node) bool {
	for _, list := range []string{"containers", "initContainers", "ephemeralContainers"} {
		_, cs := r.get(spec, list)
		for _, c := range r.items(cs) {
			if k, _ := r.get(c, "image"); k != nil {
				return true
			}
		}
	}
	return false
}

// suppressions turns a hoplint.dev/ignore annotation into a Suppression
// covering the whole object.
func (res *Result) suppressions(o *Object, ann StrMap) {
	a, ok := ann.Lookup(IgnoreAnnotation)
	if !ok || !a.Set {
		return
	}
	ids, reason, _ := strings.Cut(a.Value, "--")
	list := strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(list) == 0 {
		return
	}
	at := a.Key
	at.End = a.Range.End
	res.Suppressions = append(res.Suppressions, parsers.Suppression{
		Range: at, From: o.Range.Start.Line, To: o.Range.End.Line,
		Rules: list, Reason: strings.TrimSpace(reason),
	})
}

func (r *reader) podSpec(spec *yaml.Node) PodSpec {
	var ps PodSpec
	if spec == nil {
		return ps
	}
	ps.TerminationGracePeriod = r.field(spec, "terminationGracePeriodSeconds")
	_, inits := r.get(spec, "initContainers")
	for _, c := range r.items(inits) {
		ct := r.container(c)
		ct.Init = true
		ct.Sidecar = r.field(c, "restartPolicy").Value == "Always"
		ps.Containers = append(ps.Containers, ct)
	}
	_, cs := r.get(spec, "containers")
	for _, c := range r.items(cs) {
		ps.Containers = append(ps.Containers, r.container(c))
	}
	_, vols := r.get(spec, "volumes")
	for _, v := range r.items(vols) {
		vol := Volume{Name: r.field(v, "name").Value}
		configMap := func(cm *yaml.Node) Volume {
			out := Volume{Name: vol.Name, ConfigMap: r.field(cm, "name").Value}
			_, items := r.get(cm, "items")
			for _, it := range r.items(items) {
				if out.Items == nil {
					out.Items = map[string]string{}
				}
				out.Items[r.field(it, "key").Value] = r.field(it, "path").Value
			}
			return out
		}
		if cm := r.path(v, "configMap"); cm != nil {
			vol = configMap(cm)
		}
		if pr := r.path(v, "projected"); pr != nil {
			// A projected volume puts the keys of several sources in one
			// directory.
			_, srcs := r.get(pr, "sources")
			for _, src := range r.items(srcs) {
				if cm := r.path(src, "configMap"); cm != nil {
					vol.Projected = append(vol.Projected, configMap(cm))
				}
			}
		}
		ps.Volumes = append(ps.Volumes, vol)
	}
	return ps
}

func (r *reader) container(c *yaml.Node) *Container {
	ct := &Container{Range: r.at(c), PreStopSleep: -1}
	nk, nv := r.get(c, "name")
	ct.Name = r.str(nv)
	if nk != nil {
		ct.Name.Key = r.at(nk)
		ct.Range = ct.Name.Key
	}
	ct.Image = r.field(c, "image")
	_, cmd := r.get(c, "command")
	ct.Command = r.strs(cmd)
	_, args := r.get(c, "args")
	ct.Args = r.strs(args)
	_, env := r.get(c, "env")
	for _, e := range r.items(env) {
		ev := EnvVar{Name: r.field(e, "name"), Value: r.field(e, "value")}
		if _, vf := r.get(e, "valueFrom"); vf != nil {
			ev.FromRef = true
		}
		ct.Env = append(ct.Env, ev)
	}
	_, ports := r.get(c, "ports")
	for _, p := range r.items(ports) {
		n, _ := strconv.Atoi(r.field(p, "containerPort").Value)
		ct.Ports = append(ct.Ports, ContainerPort{Name: r.field(p, "name").Value, Port: n, Range: r.at(p)})
	}
	if rk, rv := r.get(c, "resources"); rk != nil {
		res := &Resources{Range: r.span(rk, rv)}
		if lk, lv := r.get(rv, "limits"); lk != nil {
			res.LimitsRange = r.at(lk)
			res.Limits = r.quantities(lv)
		}
		if qk, qv := r.get(rv, "requests"); qk != nil {
			res.RequestsRange = r.at(qk)
			res.Requests = r.quantities(qv)
		}
		ct.Resources = res
	}
	_, mounts := r.get(c, "volumeMounts")
	for _, m := range r.items(mounts) {
		ct.VolumeMounts = append(ct.VolumeMounts, VolumeMount{
			Name: r.field(m, "name").Value, MountPath: r.field(m, "mountPath").Value,
			SubPath: r.field(m, "subPath").Value, Range: r.at(m),
		})
	}
	if pk, pv := r.get(r.path(c, "lifecycle"), "preStop"); pk != nil && pv != nil {
		ct.PreStop = r.at(pk)
		ct.PreStopSleep = r.sleepSeconds(pv)
	}
	return ct
}

// sleepSeconds recognises the usual drain handlers: the sleep action
// (Kubernetes 1.29+), and exec of "sleep N" directly or through a shell.
func (r *reader) sleepSeconds(h *yaml.Node) int {
	if s := r.path(h, "sleep"); s != nil {
		if n, err := strconv.Atoi(r.field(s, "seconds").Value); err == nil {
			return n
		}
		return -1
	}
	_, cmd := r.get(r.path(h, "exec"), "command")
	words := r.strs(cmd)
	var parts []string
	for _, w := range words {
		parts = append(parts, strings.Fields(w.Value)...)
	}
	for i, p := range parts {
		if (p == "sleep" || strings.HasSuffix(p, "/sleep")) && i+1 < len(parts) {
			if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(parts[i+1], ";"), "s")); err == nil {
				return n
			}
		}
	}
	return -1
}

func (r *reader) strs(s *yaml.Node) []Str {
	var out []Str
	for _, it := range r.items(s) {
		if v := r.str(it); v.Set {
			out = append(out, v)
		}
	}
	return out
}

// mergeQuantities adds the entries of b not already in a (the first
// Container item that names a resource wins).
func mergeQuantities(a, b map[string]Quantity) map[string]Quantity {
	for k, v := range b {
		if a == nil {
			a = map[string]Quantity{}
		}
		if _, ok := a[k]; !ok {
			a[k] = v
		}
	}
	return a
}

func (r *reader) quantities(m *yaml.Node) map[string]Quantity {
	var out map[string]Quantity
	r.each(m, func(k, v *yaml.Node) {
		s := r.str(v)
		if !s.Set {
			return
		}
		q := Quantity{Raw: s.Value, Range: r.span(k, v), Unknown: s.Unknown}
		if s.Unknown {
			q.Raw = "(known after apply)"
		} else if parsed, err := resource.ParseQuantity(s.Value); err == nil {
			q.Q, q.OK = parsed, true
		}
		if out == nil {
			out = map[string]Quantity{}
		}
		out[intern(k.Value)] = q
	})
	return out
}

func (r *reader) service(o Object, spec *yaml.Node) *Service {
	s := &Service{Object: o, Type: r.field(spec, "type"), LoadBalancerClass: r.field(spec, "loadBalancerClass")}
	sk, sel := r.get(spec, "selector")
	s.Selector = r.stringMap(sel)
	if sk != nil {
		s.SelectorRange = r.at(sk)
	}
	_, ports := r.get(spec, "ports")
	for _, p := range r.items(ports) {
		n, _ := strconv.Atoi(r.field(p, "port").Value)
		np := r.field(p, "nodePort")
		node, _ := strconv.Atoi(np.Value)
		s.Ports = append(s.Ports, ServicePort{
			Name: r.field(p, "name").Value, Port: n,
			TargetPort: r.field(p, "targetPort").Value, Range: r.at(p),
			NodePort: node, NodePortRange: np.Range,
		})
	}
	return s
}

func (r *reader) ingress(o Object, spec *yaml.Node) *Ingress {
	in := &Ingress{Object: o, ClassName: r.field(spec, "ingressClassName")}
	in.ClassAnnotation = o.Annotations.Get("kubernetes.io/ingress.class")
	in.Legacy = strings.HasSuffix(o.APIVersion, "v1beta1")
	backend := func(b *yaml.Node, host, path string, def bool) {
		if b == nil {
			return
		}
		bk := Backend{Host: host, Path: path, Default: def, Range: r.at(b)}
		if svc := r.path(b, "service"); svc != nil {
			bk.Service = r.field(svc, "name").Value
			port := r.path(svc, "port")
			bk.PortNum, _ = strconv.Atoi(r.field(port, "number").Value)
			bk.PortName = r.field(port, "name").Value
			if nk, _ := r.get(svc, "name"); nk != nil {
				bk.Range = r.at(nk)
			}
		} else if name := r.field(b, "serviceName"); name.Set {
			bk.Service = name.Value
			bk.Range = name.Range
			sp := r.field(b, "servicePort").Value
			if n, err := strconv.Atoi(sp); err == nil {
				bk.PortNum = n
			} else {
				bk.PortName = sp
			}
		} else {
			return // a resource backend: not a Service
		}
		in.Backends = append(in.Backends, bk)
	}
	_, def := r.get(spec, "defaultBackend")
	if def == nil {
		_, def = r.get(spec, "backend")
	}
	backend(def, "", "", true)
	_, rules := r.get(spec, "rules")
	for _, rule := range r.items(rules) {
		host := r.field(rule, "host").Value
		_, paths := r.get(r.path(rule, "http"), "paths")
		for _, p := range r.items(paths) {
			_, b := r.get(p, "backend")
			backend(b, host, r.field(p, "path").Value, false)
		}
	}
	return in
}

// String renders a Str for messages.
func (s Str) String() string { return fmt.Sprintf("%q", s.Value) }
