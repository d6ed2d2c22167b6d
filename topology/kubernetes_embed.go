package topology

import (
	"path"
	"sort"
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
type embeddedKey struct {
	cm  *kubernetes.ConfigMap
	key string
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
		if !ok || v.ConfigMap == "" || (m.MountPath != dir && !strings.HasPrefix(m.MountPath, dir+"/")) {
			continue
		}
		cm, tie := nearestOne(w.File.Path, c.configMaps[w.NS()+"/"+v.ConfigMap])
		if cm == nil || tie != "" && c.strict {
			continue
		}
		if tie != "" {
			notes = append(notes, tie)
		}
		// Keys land at their own name, or where items: puts them.
		files := map[string]string{}
		for k := range cm.Data {
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
					out[m.MountPath] = embeddedKey{cm, k}
				}
			default:
				out[path.Join(m.MountPath, rel)] = embeddedKey{cm, k}
			}
		}
	}
	return out, notes
}

// embeddedFile turns a ConfigMap entry into a File of its own whose
// positions land on the ConfigMap's lines.
func embeddedFile(e embeddedKey, format parsers.Format) *parsers.File {
	host := e.cm.File
	s := e.cm.Data[e.key]
	f := parsers.NewFile(host.Path, host.Abs, host.Root, format, []byte(s.Value))
	if s.Block() {
		// The text starts on the line after "key: |", indented.
		f.Shift = parsers.Pos{Line: s.Line, Col: blockIndent(host, s.Line+1)}
	} else {
		f.Shift = parsers.Pos{Line: s.Line - 1, Col: s.Col - 1}
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

// embeddedServer parses the nginx or httpd configuration a container
// mounts from ConfigMaps (each entry once, however many pods mount it) and
// returns the keep-alive of the server that listens on the container's
// port.
func (c *k8sCluster) embeddedServer(w *kubernetes.Workload, ct *kubernetes.Container, format parsers.Format) (Duration, []string, bool) {
	dir, main := nginxConfDir, nginxConfDir+"/nginx.conf"
	if format == parsers.FormatApache {
		dir, main = apacheConfDir, apacheConfDir+"/httpd.conf"
	}
	files, notes := c.mountedFiles(w, ct, dir)
	if len(files) == 0 {
		return Duration{}, nil, false
	}
	var hops []*Hop
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		e := files[p]
		if p != main && !strings.HasSuffix(p, ".conf") {
			continue
		}
		if c.embedded == nil {
			c.embedded = map[embeddedKey][]*Hop{}
		}
		hs, done := c.embedded[e]
		if !done {
			f := embeddedFile(e, format)
			if format == parsers.FormatNginx {
				hs = loadNginxEmbedded(c.part, f, c.env)
			} else {
				hs = loadApacheEmbedded(c.part, f, c.env)
			}
			c.embedded[e] = hs
		}
		hops = append(hops, hs...)
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
	pick := servers[0]
	if len(servers) > 1 {
		pick = nil
		for _, s := range servers {
			for _, l := range s.Listen {
				for _, p := range ct.Ports {
					if l.Port == p.Port && pick == nil {
						pick = s
					}
				}
			}
		}
	}
	if pick == nil {
		return Duration{}, append(notes, "several servers in the mounted configuration; none listens on a declared container port"), true
	}
	return pick.KeepAlive, notes, true
}
