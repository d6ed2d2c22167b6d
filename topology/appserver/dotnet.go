package appserver

import (
	"bytes"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	cfg "github.com/hoplint/hoplint/parsers/app/config"
	"github.com/hoplint/hoplint/topology/setting"
)

// Where Kestrel's defaults are written (docs/facts/dotnet.md).
const (
	kestrelKeepAliveDoc = "https://learn.microsoft.com/dotnet/api/microsoft.aspnetcore.server.kestrel.core.kestrelserverlimits.keepalivetimeout"
	kestrelBodyDoc      = "https://learn.microsoft.com/dotnet/api/microsoft.aspnetcore.server.kestrel.core.kestrelserverlimits.maxrequestbodysize"
)

// aspnetImage reports Microsoft's ASP.NET Core runtime image
// (mcr.microsoft.com/dotnet/aspnet, and the older
// mcr.microsoft.com/dotnet/core/aspnet): what runs in it serves HTTP with
// Kestrel.
func aspnetImage(ref string) bool {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref == "mcr.microsoft.com/dotnet/aspnet" || ref == "mcr.microsoft.com/dotnet/core/aspnet"
}

// maxCSFiles bounds the C# files searched for limits set in code.
const maxCSFiles = 5000

// kestrelCode are the names that set Kestrel's limits in code (or a
// request's body limit per action); a project whose code names one has
// settings hoplint does not read.
var kestrelCode = map[string][]string{
	"keepalive": {"KeepAliveTimeout"},
	"body":      {"MaxRequestBodySize", "RequestSizeLimit", "DisableRequestSizeLimit", "RequestFormLimits"},
}

// dotnet identifies an ASP.NET Core application that `dotnet X.dll` runs
// in the ASP.NET Core runtime image: Kestrel, with its limits from the
// project's appsettings.json and appsettings.{Environment}.json
// (ASPNETCORE_ENVIRONMENT, Production when unset), else its defaults. The
// project is the one in the build context whose assembly is X.
func (r *resolver) dotnet(ws []Word) (Info, bool) {
	if len(ws) < 2 || !strings.HasSuffix(ws[1].Text, ".dll") || !aspnetImage(r.image().Value) {
		return Info{}, false
	}
	info := Info{Label: "Kestrel (ASP.NET Core)"}
	for k := range r.p.Env {
		if strings.Contains(strings.ToUpper(k), "KESTREL") {
			return info, true // limits set through the environment
		}
	}
	if len(r.p.Opaque) > 0 {
		return info, true // an appsettings file may be mounted at run time
	}
	dir := r.dotnetProject(strings.TrimSuffix(path.Base(ws[1].Text), ".dll"))
	if dir == "" {
		return info, true
	}
	envName := "Production"
	for _, k := range []string{"DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"} {
		if e, ok := r.p.Env[k]; ok {
			if e.Unknown {
				return info, true
			}
			envName = e.Value
		}
	}
	code := r.dotnetCode(dir)
	var ka, body *springSetting
	// A settings file hoplint could not parse may set what it could not
	// read: then a missing setting is unknown, not Kestrel's default.
	broken := false
	for _, name := range []string{"appsettings.json", "appsettings." + envName + ".json"} {
		f, err := r.read(path.Join(dir, name))
		if err != nil {
			continue
		}
		res := cfg.ParseKestrelJSON(f)
		broken = broken || unparsed(res.Problems)
		if r.p.Files.once("config:" + f.Path) {
			r.problems = append(r.problems, res.Problems...)
		}
		r.sources = append(r.sources, f)
		if s := res.Get("Kestrel:Limits:KeepAliveTimeout", ""); s != nil {
			ka = &springSetting{st: s, file: f}
		}
		if s := res.Get("Kestrel:Limits:MaxRequestBodySize", ""); s != nil {
			body = &springSetting{st: s, file: f}
		}
	}
	at := ws[0].From.Range
	if !code["keepalive"] {
		switch {
		case ka == nil && broken: // unknown: a settings file was not read whole
		case ka == nil:
			src := &setting.DefaultSource{Product: "Kestrel", Version: "ASP.NET Core 2.0 and later", URL: kestrelKeepAliveDoc}
			info.KeepAlive = setting.DefaultFor("Kestrel:Limits:KeepAliveTimeout", 130*time.Second, at, src)
		case ka.st.Value.Kind == cfg.Duration && ka.st.Value.Duration > 0:
			info.KeepAlive = setting.SetAt("Kestrel:Limits:KeepAliveTimeout in "+ka.file.Path, ka.st.Value.Duration, ka.st.Range)
		}
	}
	if !code["body"] {
		switch {
		case body == nil && broken: // unknown: a settings file was not read whole
		case body == nil:
			src := &setting.DefaultSource{Product: "Kestrel", Version: "ASP.NET Core 2.0 and later", URL: kestrelBodyDoc}
			info.BodyLimit = setting.DefaultFor[int64]("Kestrel:Limits:MaxRequestBodySize", 30_000_000, at, src)
		case body.st.Value.Kind == cfg.Bytes:
			info.BodyLimit = setting.SetAt("Kestrel:Limits:MaxRequestBodySize in "+body.file.Path, body.st.Value.Bytes, body.st.Range)
			if body.st.Value.Unlimited {
				info.BodyLimit.Value = setting.Unlimited
			}
		}
	}
	return info, true
}

// dotnetProject finds the directory of the project whose assembly is
// name: NAME.csproj in the build context (or one with
// <AssemblyName>NAME</AssemblyName>), when there is exactly one.
func (r *resolver) dotnetProject(name string) string {
	if r.p.Context == "" || r.p.Files == nil {
		return ""
	}
	root := r.p.Files.abs(path.Clean(r.p.Context))
	if root == "" {
		return ""
	}
	var found []string
	n := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil //nolint:nilerr // an unreadable directory is skipped
		}
		if n++; n > maxWalk {
			return filepath.SkipAll
		}
		if d.IsDir() {
			if p != root && (skipWalk[d.Name()] || strings.HasPrefix(d.Name(), ".") || d.Name() == "bin" || d.Name() == "obj") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(d.Name(), ".csproj") || !d.Type().IsRegular() {
			return nil
		}
		rel := r.p.Files.rel(p)
		if d.Name() == name+".csproj" {
			found = append(found, path.Dir(rel))
			return nil
		}
		if f, err := r.read(rel); err == nil && bytes.Contains(f.Bytes(), []byte("<AssemblyName>"+name+"</AssemblyName>")) {
			found = append(found, path.Dir(rel))
		}
		return nil
	})
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// dotnetCode reports which of Kestrel's limits the project's C# code
// names (byte search, nothing parsed): those are set where hoplint does
// not read them. A project too large to search counts as naming all.
func (r *resolver) dotnetCode(dir string) map[string]bool {
	out := map[string]bool{}
	root := r.p.Files.abs(dir)
	if root == "" {
		return map[string]bool{"keepalive": true, "body": true}
	}
	n := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil //nolint:nilerr // an unreadable directory is skipped
		}
		if d.IsDir() {
			if p != root && (skipWalk[d.Name()] || strings.HasPrefix(d.Name(), ".") || d.Name() == "bin" || d.Name() == "obj") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(d.Name(), ".cs") {
			return nil
		}
		if n++; n > maxCSFiles {
			out["keepalive"], out["body"] = true, true
			return filepath.SkipAll
		}
		f, err := r.read(r.p.Files.rel(p))
		if err != nil {
			// Source hoplint cannot search may set anything.
			out["keepalive"], out["body"] = true, true
			return filepath.SkipAll
		}
		for kind, names := range kestrelCode {
			for _, nm := range names {
				if bytes.Contains(f.Bytes(), []byte(nm)) {
					out[kind] = true
				}
			}
		}
		return nil
	})
	return out
}

// unparsed reports problems that mean part of a settings file was not
// read (a syntax error, a file too large): what it sets is not all known.
func unparsed(probs []parsers.Problem) bool {
	for _, p := range probs {
		if p.Kind == parsers.ProblemParse || p.Kind == parsers.ProblemSkipped {
			return true
		}
	}
	return false
}
