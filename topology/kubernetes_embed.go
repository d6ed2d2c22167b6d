package topology

import (
	"path"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
)

// Where the official images read their configuration.
const (
	nginxConfDir  = "/etc/nginx"
	apacheConfDir = "/usr/local/apache2/conf"
)

// embeddedKey is one ConfigMap entry parsed as a server configuration.
// A file put into a container otherwise (a compose bind mount, a COPY in
// its Dockerfile) is held as file, with no ConfigMap.
type embeddedKey struct {
	cm   *kubernetes.ConfigMap
	key  string
	file *parsers.File
}

// mountedFiles returns the ConfigMap entries a container sees under dir,
// with the path each lands at, and notes naming the copy taken where a
// ConfigMap has several equally near copies.
func (c *k8sCluster) mountedFiles(w *kubernetes.Workload, ct *kubernetes.Container, dir string) (map[string]embeddedKey, []string) {
	out := map[string]embeddedKey{}
	var notes []string
	vols := map[string]kubernetes.Volume{}
	for _, v := range w.Pod.Volumes {
		vols[v.Name] = v
	}
	for _, m := range ct.VolumeMounts {
		v, ok := vols[m.Name]
		if !ok || (m.MountPath != dir && !strings.HasPrefix(m.MountPath, dir+"/")) {
			continue
		}
		srcs := v.Projected
		if v.ConfigMap != "" {
			srcs = append([]kubernetes.Volume{v}, srcs...)
		}
		for _, src := range srcs {
			notes = append(notes, c.mountSource(w, m, src, out)...)
		}
	}
	return out, notes
}

// mountSource adds the entries of one ConfigMap source mounted by m.
func (c *k8sCluster) mountSource(w *kubernetes.Workload, m kubernetes.VolumeMount, v kubernetes.Volume, out map[string]embeddedKey) (notes []string) {
	cm, tie := nearestOne(w.File.Path, c.configMaps[w.Space()+"/"+v.ConfigMap])
	if cm == nil || tie != "" && c.strict {
		return nil
	}
	if tie != "" {
		notes = append(notes, tie)
	}
	// Keys land at their own name, or where items: puts them.
	files := map[string]string{}
	for _, d := range cm.Data {
		k := d.Name
		if len(v.Items) == 0 {
			files[k] = k
		} else if p, ok := v.Items[k]; ok {
			files[k] = p
		}
	}
	for k, rel := range files {
		switch {
		case m.SubPath != "":
			if rel == m.SubPath {
				out[m.MountPath] = embeddedKey{cm: cm, key: k}
			}
		default:
			out[path.Join(m.MountPath, rel)] = embeddedKey{cm: cm, key: k}
		}
	}
	return notes
}

// embeddedFile turns a ConfigMap entry into a File of its own whose
// positions land on the ConfigMap's lines.
func embeddedFile(e embeddedKey, format parsers.Format) *parsers.File {
	if e.file != nil {
		return parsers.NewFile(e.file.Path, e.file.Abs, e.file.Root, format, e.file.Bytes())
	}
	host := e.cm.File
	s := e.cm.Data.Get(e.key)
	f := parsers.NewFile(host.Path, host.Abs, host.Root, format, []byte(s.Value))
	line, col := int(s.Line), int(s.Col)
	if s.Block() {
		// The text starts on the line after "key: |", indented.
		f.Shift = parsers.Pos{Line: line, Col: blockIndent(host, line+1)}
	} else {
		f.Shift = parsers.Pos{Line: line - 1, Col: col - 1}
	}
	if host.Map != nil {
		// A rendered ConfigMap: its entry's text comes line for line from
		// a source (a generator's input file, a base's block), so the
		// embedded file is shifted into that source instead.
		first := host.Map.Range(f.Shift.Line+1, f.Shift.Col+1, f.Shift.Line+1, f.Shift.Col+1)
		f.Path = first.File
		f.Shift = parsers.Pos{Line: first.Start.Line - 1, Col: first.Start.Col - 1}
	}
	return f
}

// blockIndent is the indentation of the first non-blank line from line on.
func blockIndent(f *parsers.File, line int) int {
	for ; line <= f.NumLines(); line++ {
		t := f.Line(line)
		if strings.TrimSpace(t) == "" {
			continue
		}
		return len(t) - len(strings.TrimLeft(t, " "))
	}
	return 0
}

// configHops returns the servers of one parsed configuration and every
// hop inside it that they reach: locations, upstreams, proxy backends.
// While the Kubernetes loader runs, the only edges from those hops are
// the configuration's own.
func (c *k8sCluster) configHops(servers []*Hop) []*Hop { return configHopsIn(c.part, servers) }

// configHopsIn is configHops over the hops of part.
func configHopsIn(part *Graph, servers []*Hop) []*Hop {
	out := append([]*Hop(nil), servers...)
	seen := map[*Hop]bool{}
	for _, h := range out {
		seen[h] = true
	}
	for i := 0; i < len(out); i++ {
		for _, e := range part.Out(out[i]) {
			switch e.To.Kind {
			case KindNginxLocation, KindNginxUpstream, KindApacheBackend:
				if !seen[e.To] {
					seen[e.To] = true
					out = append(out, e.To)
				}
			}
		}
	}
	return out
}

// embeddedServer parses the nginx or httpd configuration a container
// mounts from ConfigMaps (each entry once, however many pods mount it) and
// returns the keep-alive of the server that listens on the container's
// port.
func (c *k8sCluster) embeddedServer(w *kubernetes.Workload, ct *kubernetes.Container, format parsers.Format, lay nginxLayout) (Duration, []string, bool) {
	dirs, main := lay.mountDirs(), lay.main
	if format == parsers.FormatApache {
		dirs, main = []string{apacheConfDir}, apacheConfDir+"/httpd.conf"
	}
	files := map[string]embeddedKey{}
	var notes []string
	if b := c.env.ImageBuild(ct.Image.Value); b != nil {
		// What the Dockerfile copies into the image, unless a whole
		// ConfigMap is mounted over its directory.
		var whole []string
		for _, dir := range dirs {
			for d := range wholeMounts(w, ct, dir) {
				whole = append(whole, d)
			}
		}
		for p, f := range b.Files {
			if underAny(p, whole) || !underAny(p, dirs) {
				continue
			}
			files[p] = embeddedKey{file: f}
		}
	}
	for _, dir := range dirs {
		fs, ns := c.mountedFiles(w, ct, dir)
		for k, v := range fs {
			files[k] = v
		}
		notes = append(notes, ns...)
	}
	if len(files) == 0 {
		return Duration{}, nil, false
	}
	var hops []*Hop
	if format == parsers.FormatNginx {
		hops = c.podNginxHops(w, ct, files, lay)
		c.markPod(w, hops)
	} else {
		var notes []string
		if hops, notes = c.podApacheHops(w, ct, files, main); len(notes) > 0 {
			return Duration{}, notes, true
		}
	}
	var servers []*Hop
	for _, h := range hops {
		if h.Kind == KindNginxServer || h.Kind == KindApacheVHost {
			servers = append(servers, h)
		}
	}
	if len(servers) == 0 {
		return Duration{}, notes, true
	}
	picks := servers[:1]
	if len(servers) > 1 {
		// Every server listening on a declared container port receives
		// the traffic sent to that port; the first one's keep-alive is
		// the container's.
		picks = nil
		for _, s := range servers {
			if listensOnAny(s, ct.Ports) {
				picks = append(picks, s)
			}
		}
	}
	if len(picks) == 0 {
		return Duration{}, append(notes, "several servers in the mounted configuration; none listens on a declared container port"), true
	}
	if c.embeddedPick == nil {
		c.embeddedPick = map[*kubernetes.Container][]*Hop{}
	}
	c.embeddedPick[ct] = picks
	return picks[0].KeepAlive, notes, true
}

func listensOnAny(s *Hop, ports []kubernetes.ContainerPort) bool {
	for _, l := range s.Listen {
		for _, p := range ports {
			if l.Port == p.Port {
				return true
			}
		}
	}
	return false
}

func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if under(p, d) {
			return true
		}
	}
	return false
}
