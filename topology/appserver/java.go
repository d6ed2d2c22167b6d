package appserver

import (
	"path"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	cfg "github.com/hoplint/hoplint/parsers/app/config"
	"github.com/hoplint/hoplint/topology/setting"
)

// Where the Java servers' defaults are written (docs/facts/java.md).
const (
	tomcatDoc    = "https://tomcat.apache.org/tomcat-10.1-doc/config/http.html"
	multipartDoc = "https://docs.spring.io/spring-boot/appendix/application-properties/"
)

// springMultipartRefusal is what Spring does with a multipart body over
// its limits: the request fails in the application, and bodies that are
// not multipart are not limited by these settings (docs/facts/java.md).
const springMultipartRefusal = "Spring refuses them when they are multipart uploads (MaxUploadSizeExceededException; request bodies that are not multipart are not limited by these settings)"

// springConfig is what a Spring Boot application's own files say.
type springConfig struct {
	// settings in the order Spring applies them (base files, then each
	// active profile's), each with the file it is in.
	settings []springSetting
	// unknown: settings come from somewhere hoplint does not read (a
	// config server, an import, a file mounted at run time, an active
	// profile it cannot tell).
	unknown bool
}

type springSetting struct {
	st   *cfg.Setting
	file *parsers.File
}

// java identifies a Spring Boot application that a java command line
// runs (java -jar app.jar, java … JarLauncher): only when the build
// context shows a Spring Boot web application with embedded Tomcat (its
// pom.xml or build.gradle names spring-boot-starter-web and no other
// server). Any other Java program stays unknown.
func (r *resolver) java(ws []Word) (Info, bool) {
	dir := r.p.Context
	if dir == "" || r.p.Files == nil {
		return Info{}, false
	}
	dir = path.Clean(dir)
	server := r.springServer(dir)
	if server == "" {
		return Info{}, false
	}
	info := Info{Label: "Spring Boot (" + server + ")"}
	// The property that sets the embedded server's idle wait for the next
	// request, and the environment variables that can set it.
	idleProp, envPrefix := "", "SERVER_TOMCAT"
	switch server {
	case "Jetty":
		idleProp, envPrefix = "server.jetty.connection-idle-timeout", "SERVER_JETTY"
	case "Undertow":
		idleProp, envPrefix = "server.undertow.no-request-timeout", "SERVER_UNDERTOW"
	case "Reactor Netty":
		idleProp, envPrefix = "server.netty.idle-timeout", "SERVER_NETTY"
	}
	var profiles []string
	profilesKnown := true
	for i := 1; i < len(ws); i++ {
		t := ws[i].Text
		switch {
		case strings.HasPrefix(t, "-Dspring.profiles.active=") || strings.HasPrefix(t, "--spring.profiles.active="):
			profiles = splitProfiles(t[strings.IndexByte(t, '=')+1:])
		case strings.HasPrefix(t, "-Dserver.") || strings.HasPrefix(t, "--server.") || strings.HasPrefix(t, "-Dspring.servlet.") ||
			strings.HasPrefix(t, "--spring.servlet.") || strings.HasPrefix(t, "--spring.config.") || strings.HasPrefix(t, "-Dspring.config."):
			return info, true // set on the command line in a form not read here
		case strings.Contains(t, "$"):
			profilesKnown = profilesKnown && !strings.Contains(t, "profiles")
		}
	}
	for k, v := range r.p.Env {
		switch {
		case k == "SPRING_PROFILES_ACTIVE":
			if v.Unknown {
				profilesKnown = false
			} else {
				profiles = splitProfiles(v.Value)
			}
		case strings.HasPrefix(k, envPrefix) || strings.HasPrefix(k, "SPRING_SERVLET_MULTIPART") || k == "SPRING_APPLICATION_JSON" ||
			strings.HasPrefix(k, "SPRING_CONFIG_") || k == "JAVA_TOOL_OPTIONS" && strings.Contains(v.Value, "-Dserver."):
			return info, true
		}
	}
	conf := r.springConfig(dir, profiles, profilesKnown)
	if conf.unknown {
		return info, true
	}
	last := func(name string) *springSetting {
		var out *springSetting
		for i := range conf.settings {
			if conf.settings[i].st.Name == name {
				out = &conf.settings[i]
			}
		}
		return out
	}
	if server != "Tomcat" {
		// Jetty, Undertow and Reactor Netty: only a value the application
		// sets. Their own defaults (Jetty 30 s, Undertow 60 s, Netty none:
		// docs/facts/java.md) are checked for some versions only, and the
		// Spring Boot version is not known here; Spring's multipart limits
		// are not read for them yet.
		if st := last(idleProp); st != nil {
			info.KeepAlive = r.springIdle(st)
		}
		return info, true
	}
	info.KeepAlive = r.springKeepAlive(last("server.tomcat.keep-alive-timeout"), last("server.tomcat.connection-timeout"), ws[0].From.Range)
	info.BodyLimit, info.BodyRefusal = r.springMultipart(last("spring.servlet.multipart.max-request-size"), last("spring.servlet.multipart.max-file-size"))
	return info, true
}

func splitProfiles(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// springServer tells which embedded server the build file in dir
// brings: "Tomcat" for spring-boot-starter-web alone, "Reactor Netty",
// "Jetty" or "Undertow" for the others, "" when dir is no Spring Boot
// web application.
func (r *resolver) springServer(dir string) string {
	for _, name := range []string{"pom.xml", "build.gradle", "build.gradle.kts"} {
		f, err := r.read(path.Join(dir, name))
		if err != nil {
			continue
		}
		text := string(f.Bytes())
		has := func(artifact string) bool {
			for _, end := range []string{"<", "'", "\"", ":"} {
				if strings.Contains(text, artifact+end) {
					return true
				}
			}
			return false
		}
		switch {
		case has("spring-boot-starter-jetty"):
			return "Jetty"
		case has("spring-boot-starter-undertow"):
			return "Undertow"
		case has("spring-boot-starter-web"):
			if strings.Contains(text, "spring-boot-starter-tomcat") && strings.Contains(text, "<exclusion") {
				return "" // Tomcat excluded: some other server
			}
			r.sources = append(r.sources, f)
			return "Tomcat"
		case has("spring-boot-starter-webflux"):
			return "Reactor Netty"
		}
	}
	return ""
}

// springConfig reads application.properties and application.yml (and
// their config/ variants and the active profiles' files) from the build
// context's src/main/resources, in the order Spring Boot applies them.
func (r *resolver) springConfig(dir string, profiles []string, profilesKnown bool) springConfig {
	var out springConfig
	if len(r.p.Opaque) > 0 {
		// A mount hoplint does not read may hold a config/ directory or
		// an application.yml next to the jar.
		out.unknown = true
		return out
	}
	// A file the container is given at run time overrides the packaged
	// ones: hoplint does not follow it.
	for _, m := range r.p.Mounts {
		b := path.Base(m.Target)
		if strings.HasPrefix(b, "application") && (strings.HasSuffix(b, ".properties") || strings.HasSuffix(b, ".yml") || strings.HasSuffix(b, ".yaml")) ||
			strings.HasSuffix(m.Target, "/config") {
			out.unknown = true
			return out
		}
	}
	res := path.Join(dir, "src/main/resources")
	type loaded struct {
		f   *parsers.File
		res *cfg.Result
	}
	var files []loaded
	read := func(profile string) {
		for _, sub := range []string{"", "config/"} {
			for _, ext := range []string{".properties", ".yml", ".yaml"} {
				name := "application" + ext
				if profile != "" {
					name = "application-" + profile + ext
				}
				f, err := r.read(path.Join(res, sub+name))
				if err != nil {
					continue
				}
				var rs *cfg.Result
				if ext == ".properties" {
					rs = cfg.ParseSpringProperties(f)
				} else {
					rs = cfg.ParseSpringYAML(f)
				}
				if r.p.Files.once("config:" + f.Path) {
					r.problems = append(r.problems, rs.Problems...)
				}
				if unparsed(rs.Problems) {
					out.unknown = true // it may set what hoplint could not read
				}
				lower := strings.ToLower(string(f.Bytes()))
				if strings.Contains(lower, "configserver") || strings.Contains(lower, "import") || strings.Contains(lower, "profiles.active") ||
					strings.Contains(lower, "active:") || strings.Contains(lower, "profiles.include") || strings.Contains(lower, "profiles.group") {
					// A config server, an import or profiles the files
					// turn on themselves: not followed.
					out.unknown = true
				}
				files = append(files, loaded{f, rs})
			}
		}
	}
	read("")
	if len(files) == 0 {
		return out
	}
	for _, p := range profiles {
		read(p)
	}
	active := map[string]bool{}
	for _, p := range profiles {
		active[p] = true
	}
	for _, l := range files {
		for i := range l.res.Settings {
			st := &l.res.Settings[i]
			if p, ok := strings.CutPrefix(st.Condition, "profile "); ok {
				if !profilesKnown {
					out.unknown = true
				}
				if !active[strings.TrimSpace(p)] {
					continue
				}
			} else if st.Condition != "" {
				continue
			}
			out.settings = append(out.settings, springSetting{st: st, file: l.f})
		}
	}
	if !profilesKnown {
		// Profile files exist that an unknown profile may turn on.
		for _, name := range r.p.Files.List(res) {
			if strings.HasPrefix(name, "application-") {
				out.unknown = true
			}
		}
	}
	for _, l := range files {
		r.sources = append(r.sources, l.f)
	}
	return out
}

// springKeepAlive is embedded Tomcat's keep-alive: keep-alive-timeout,
// else connection-timeout (Tomcat's keepAliveTimeout falls back to its
// connectionTimeout), else Tomcat's 60 s connector default.
func (r *resolver) springKeepAlive(ka, conn *springSetting, at parsers.Range) setting.Duration {
	for _, s := range []*springSetting{ka, conn} {
		if s == nil {
			continue
		}
		v, ok := resolveConf(s.st, r.p.Env)
		if !ok || v.Kind != cfg.Duration || v.Unlimited || v.Duration <= 0 {
			return setting.Duration{Name: s.st.Name}
		}
		d := setting.SetAt(s.st.Name+" in "+s.file.Path, v.Duration, s.st.Range)
		if s == conn {
			d.Note = "Tomcat's keep-alive timeout falls back to server.tomcat.connection-timeout when server.tomcat.keep-alive-timeout is not set"
		}
		return d
	}
	src := &setting.DefaultSource{Product: "Tomcat (embedded by Spring Boot)", Version: "Tomcat 8.5–11", URL: tomcatDoc}
	d := setting.DefaultFor("server.tomcat.keep-alive-timeout", 60*time.Second, at, src)
	d.Note = "neither server.tomcat.keep-alive-timeout nor server.tomcat.connection-timeout is set, so Tomcat keeps idle connections for its connectionTimeout default of 60 s"
	return d
}

// springIdle is an idle timeout the application sets for Jetty
// (connection-idle-timeout), Undertow (no-request-timeout) or Reactor
// Netty (idle-timeout): how long the server keeps a connection that waits
// for its next request. A value hoplint cannot resolve stays unknown.
func (r *resolver) springIdle(s *springSetting) setting.Duration {
	v, ok := resolveConf(s.st, r.p.Env)
	if !ok || v.Kind != cfg.Duration || v.Unlimited || v.Duration <= 0 {
		return setting.Duration{Name: s.st.Name}
	}
	return setting.SetAt(s.st.Name+" in "+s.file.Path, v.Duration, s.st.Range)
}

// springMultipart is the largest multipart upload Spring takes: the
// smaller of max-request-size and max-file-size. It is used only when the
// application sets one of them: a default limit on multipart bodies says
// nothing of an application that takes no uploads.
func (r *resolver) springMultipart(req, file *springSetting) (setting.Size, string) {
	if req == nil && file == nil {
		return setting.Size{}, ""
	}
	src := &setting.DefaultSource{Product: "Spring Boot", Version: "2.x–3.x", URL: multipartDoc}
	get := func(s *springSetting, name string, def int64, other *springSetting) (setting.Size, bool) {
		if s == nil {
			d := setting.DefaultFor(name, def, other.st.Range, src)
			return d, true
		}
		v, ok := resolveConf(s.st, r.p.Env)
		if !ok || v.Kind != cfg.Bytes {
			return setting.Size{}, false
		}
		if v.Unlimited {
			return setting.SetAt(name+" in "+s.file.Path, setting.Unlimited, s.st.Range), true
		}
		return setting.SetAt(name+" in "+s.file.Path, v.Bytes, s.st.Range), true
	}
	var rq, fl setting.Size
	var ok1, ok2 bool
	if req != nil {
		rq, ok1 = get(req, "spring.servlet.multipart.max-request-size", 10<<20, nil)
		fl, ok2 = get(file, "spring.servlet.multipart.max-file-size", 1<<20, req)
	} else {
		fl, ok2 = get(file, "spring.servlet.multipart.max-file-size", 1<<20, nil)
		rq, ok1 = get(req, "spring.servlet.multipart.max-request-size", 10<<20, file)
	}
	if !ok1 || !ok2 {
		return setting.Size{}, ""
	}
	if rq.Value == setting.Unlimited || fl.Value != setting.Unlimited && fl.Value < rq.Value {
		return fl, springMultipartRefusal
	}
	return rq, springMultipartRefusal
}

// tomcatConf is where the official tomcat image keeps server.xml.
const tomcatConf = "/usr/local/tomcat/conf/server.xml"

// isTomcatImage reports the Docker official tomcat image.
func isTomcatImage(ref string) bool {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(ref, "docker.io/"), "index.docker.io/"), "library/")
	return ref == "tomcat"
}

// tomcat reads the keep-alive of the official tomcat image's HTTP
// connector: from the server.xml the container has from the tree, else
// the stock server.xml's connectionTimeout of 20 s (keepAliveTimeout
// falls back to connectionTimeout).
func (r *resolver) tomcat(at Str) Info {
	img := r.image()
	_, version := ImageName(img.Value)
	info := Info{Label: strings.TrimSpace("Tomcat " + version)}
	if r.opaqueOver("/usr/local/tomcat/conf") {
		return info
	}
	files := r.containerFiles()
	src, ok := files[tomcatConf]
	if !ok {
		for t := range files {
			if path.Base(t) == "server.xml" {
				return info // a server.xml somewhere hoplint does not expect
			}
		}
		for _, m := range r.p.Mounts {
			if strings.Contains(m.Target, "$") || strings.HasPrefix(tomcatConf, m.Target+"/") && !r.p.Files.IsDir(m.Source) && !r.p.Files.Exists(m.Source) {
				return info // put where hoplint cannot tell
			}
		}
		ds := &setting.DefaultSource{Product: "Tomcat", Version: versionOr(version, "8.5–11"), URL: tomcatDoc}
		info.KeepAlive = setting.DefaultFor("keepAliveTimeout of the HTTP Connector in conf/server.xml", 20*time.Second, at.Range, ds)
		info.KeepAlive.Note = "assuming the image's stock conf/server.xml, whose HTTP connector sets connectionTimeout=\"20000\", which keepAliveTimeout falls back to"
		return info
	}
	f, err := r.read(src)
	if err != nil {
		return info
	}
	res := cfg.ParseTomcatServerXML(f)
	if r.p.Files.once("config:" + f.Path) {
		r.problems = append(r.problems, res.Problems...)
	}
	r.sources = append(r.sources, f)
	// The HTTP connectors (not AJP); with several that disagree, which
	// one the traffic reaches is not known.
	var found *setting.Duration
	for _, sec := range tomcatSections(res) {
		proto := res.Get("protocol", sec)
		if proto != nil && (strings.Contains(proto.Raw, "AJP") || strings.Contains(proto.Raw, "Ajp")) {
			continue
		}
		d := tomcatKeepAlive(res, sec, f)
		if found != nil && (found.Value != d.Value || found.Known() != d.Known()) {
			return info
		}
		found = &d
	}
	if found != nil {
		info.KeepAlive = *found
	}
	return info
}

func tomcatSections(res *cfg.Result) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range res.Settings {
		if !seen[s.Section] {
			seen[s.Section] = true
			out = append(out, s.Section)
		}
	}
	return out
}

// tomcatKeepAlive is one connector's keepAliveTimeout, else its
// connectionTimeout, else the connector's 60 s default.
func tomcatKeepAlive(res *cfg.Result, sec string, f *parsers.File) setting.Duration {
	for _, name := range []string{"keepAliveTimeout", "connectionTimeout"} {
		s := res.Get(name, sec)
		if s == nil {
			continue
		}
		if s.Value.Kind != cfg.Duration || s.Value.Unlimited || s.Value.Duration <= 0 {
			return setting.Duration{Name: name}
		}
		d := setting.SetAt(name+" in "+f.Path, s.Value.Duration, s.Range)
		if name == "connectionTimeout" {
			d.Note = "Tomcat's keepAliveTimeout falls back to connectionTimeout when the connector does not set it"
		}
		return d
	}
	for _, s := range res.Settings {
		if s.Section == sec {
			ds := &setting.DefaultSource{Product: "Tomcat", Version: "8.5–11", URL: tomcatDoc}
			return setting.DefaultFor("connectionTimeout", 60*time.Second, s.Range, ds)
		}
	}
	return setting.Duration{Name: "keepAliveTimeout"}
}
