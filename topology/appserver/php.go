package appserver

import (
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	cfg "github.com/hoplint/hoplint/parsers/app/config"
	"github.com/hoplint/hoplint/topology/setting"
)

// Where PHP's defaults are written (docs/facts/php.md).
const phpIniDoc = "https://www.php.net/manual/en/ini.core.php"

// phpBodyRefusal is what PHP does with a body over its limits: it answers
// no 413 of its own; the script runs without the upload (docs/facts/php.md).
const phpBodyRefusal = "PHP drops them (it answers no 413): a file over upload_max_filesize reaches the script with the error UPLOAD_ERR_INI_SIZE, and a body over post_max_size leaves $_POST and $_FILES empty, so the upload fails inside the application"

// isPHPFPM reports a php-fpm binary: php-fpm, php-fpm8.2 (Debian),
// php-fpm83 (Alpine), php-fpm7.
func isPHPFPM(b string) bool {
	rest, ok := strings.CutPrefix(b, "php-fpm")
	if !ok {
		return false
	}
	return strings.Trim(rest, "0123456789.") == ""
}

// phpFPMNotServing reports a php-fpm command line that does not make
// php-fpm the container's server: -D (daemonised: something else runs in
// the foreground and takes the traffic), -t (a config test), -v, -i, -m,
// -h.
func phpFPMNotServing(args []Word) bool {
	for _, a := range args {
		switch a.Text {
		case "-D", "--daemonize", "-t", "--test", "-tt", "-v", "--version", "-i", "--info", "-m", "--modules", "-h", "--help":
			return true
		}
	}
	return false
}

// officialPHP reports the Docker official php image (php, library/php,
// docker.io/library/php), whatever the tag.
func officialPHP(ref string) bool {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	ref = strings.TrimPrefix(ref, "index.docker.io/")
	ref = strings.TrimPrefix(ref, "library/")
	return ref == "php"
}

// phpFPMImage reports an official php image whose tag is an fpm variant
// ("8.3-fpm", "fpm-alpine", "8.2.10-fpm-bookworm"): its default command
// is php-fpm.
func phpFPMImage(ref string) bool {
	if !officialPHP(ref) {
		return false
	}
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	i := strings.LastIndex(ref, ":")
	if i < 0 {
		return false
	}
	for _, part := range strings.Split(ref[i+1:], "-") {
		if part == "fpm" {
			return true
		}
	}
	return false
}

// image is the image that decides the runtime: the Dockerfile's FROM when
// the tree builds it, else the image the process names.
func (r *resolver) image() Str {
	if r.p.FromImage.Value != "" && !r.p.FromImage.Unknown {
		return r.p.FromImage
	}
	if r.p.Image.Unknown {
		return Str{}
	}
	return r.p.Image
}

// phpSetting is one php.ini value as it applies, and where it comes from.
type phpSetting struct {
	value cfg.Value
	st    *cfg.Setting // nil for a RUN line or a -d flag
	raw   string
	rng   parsers.Range
	where string // "php/uploads.ini", "a RUN line of Dockerfile"
}

// phpFPM reads what php-fpm, started with the arguments args, is
// configured with:
// php.ini and conf.d/*.ini files and php-fpm pools the container has
// from the tree (COPY, bind mounts), ini values the Dockerfile's RUN
// lines write, and -d flags. PHP's built-in defaults hold only in the
// official php image, which ships no php.ini.
func (r *resolver) phpFPM(args []Word) Info {
	info := Info{Label: "php-fpm"}
	img := r.image()
	official := officialPHP(img.Value)
	_, version := ImageName(img.Value)
	if official && version != "" {
		info.Label = "php-fpm " + version
	}
	flags := phpFlags(args)
	if r.opaqueOver(phpConfigDirs...) {
		return info
	}
	for _, o := range r.p.Opaque {
		if strings.Contains(o, "php") {
			return info
		}
	}
	vals := map[string]*phpSetting{}
	var conflict []string
	set := func(name string, s *phpSetting) { vals[name] = s }
	// PHP reads php.ini, then the scan directory's files in name order.
	inis, pools, ok := r.phpFiles(flags)
	if !ok {
		// -c or -y names a file the tree does not put there.
		return info
	}
	for _, f := range inis {
		res := cfg.ParsePHPIni(f)
		r.phpProblems(f, res)
		for i := range res.Settings {
			st := &res.Settings[i]
			if st.Condition != "" {
				continue
			}
			set(st.Name, &phpSetting{value: st.Value, st: st, raw: st.Raw, rng: st.Range, where: f.Path})
		}
	}
	// RUN lines write ini files too; where they and a file of the tree
	// disagree, which PHP reads last is not known.
	for name, s := range r.phpRuns() {
		if prev := vals[name]; prev != nil && (prev.value.Kind != cfg.Bytes || s.value.Kind != cfg.Bytes || prev.value.Bytes != s.value.Bytes) {
			conflict = append(conflict, name)
			continue
		}
		set(name, s)
	}
	for _, name := range conflict {
		vals[name] = &phpSetting{value: cfg.Value{Kind: cfg.Unknown}}
	}
	// A pool's php_value and php_admin_value override php.ini for that
	// pool; with several pools that disagree the value is not known.
	poolVals := map[string][]*phpSetting{}
	for _, f := range pools {
		res := cfg.ParsePHPFPM(f)
		r.phpProblems(f, res)
		for i := range res.Settings {
			st := &res.Settings[i]
			if st.Name == "listen" || st.Condition != "" {
				continue
			}
			poolVals[st.Name] = append(poolVals[st.Name], &phpSetting{value: st.Value, st: st, raw: st.Raw, rng: st.Range, where: f.Path})
		}
	}
	for name, ss := range poolVals {
		vals[name] = ss[len(ss)-1]
		if len(poolSections(ss)) > 1 {
			vals[name] = &phpSetting{value: cfg.Value{Kind: cfg.Unknown}}
		}
	}
	// -d on the command line wins over every file.
	for name, s := range flags.defines {
		vals[name] = s
	}
	info.BodyLimit, info.BodyRefusal = r.phpBodyLimit(vals, official, version, img)
	if s := vals["request_terminate_timeout"]; s != nil {
		if v, ok := r.phpResolve(s); ok && v.Kind == cfg.Duration && !v.Unlimited && v.Duration > 0 {
			info.RequestTimeout = setting.SetAt("request_terminate_timeout", v.Duration, s.rng)
			info.RequestTimeout.Name = "request_terminate_timeout in " + s.where
		}
	}
	return info
}

func poolSections(ss []*phpSetting) map[string]bool {
	out := map[string]bool{}
	for _, s := range ss {
		if s.st != nil {
			out[s.st.Section] = true
		}
	}
	return out
}

func (r *resolver) phpProblems(f *parsers.File, res *cfg.Result) {
	if r.p.Files.once("config:" + f.Path) {
		r.problems = append(r.problems, res.Problems...)
	}
	r.sources = append(r.sources, f)
}

// phpResolve gives a setting's value for the container's environment.
func (r *resolver) phpResolve(s *phpSetting) (cfg.Value, bool) {
	if s.st == nil {
		return s.value, s.value.Kind != cfg.Unknown
	}
	return resolveConf(s.st, r.p.Env)
}

// phpBodyLimit is the largest body PHP takes in an upload: the smaller of
// upload_max_filesize and post_max_size. A value hoplint cannot read makes
// it unknown, unless the other is known and smaller-or-equal bounds it.
func (r *resolver) phpBodyLimit(vals map[string]*phpSetting, official bool, version string, img Str) (setting.Size, string) {
	src := &setting.DefaultSource{Product: "PHP", Version: versionOr(version, "PHP 7 and 8"), URL: phpIniDoc}
	get := func(name string, def int64) (setting.Size, bool) {
		s := vals[name]
		if s == nil {
			if !official {
				return setting.Size{Name: name}, false
			}
			d := setting.DefaultFor(name, def, img.Range, src)
			d.Note = "assuming no php.ini in the image sets " + name + " beyond the files hoplint read: the official php image ships none"
			return d, true
		}
		v, ok := r.phpResolve(s)
		if !ok || v.Kind != cfg.Bytes {
			return setting.Size{Name: name}, false
		}
		out := setting.SetAt(name+" in "+s.where, v.Bytes, s.rng)
		if v.Unlimited {
			out.Value = setting.Unlimited
		}
		return out, true
	}
	up, upOK := get("upload_max_filesize", 2<<20)
	post, postOK := get("post_max_size", 8<<20)
	switch {
	case upOK && postOK:
		if post.Value != setting.Unlimited && (up.Value == setting.Unlimited || post.Value < up.Value) {
			return post, phpBodyRefusal
		}
		return up, phpBodyRefusal
	case postOK && post.Value != setting.Unlimited:
		return post, phpBodyRefusal
	}
	return setting.Size{Name: "upload_max_filesize"}, ""
}

// phpFlagsResult is what php-fpm's command line says.
type phpFlagsResult struct {
	// ini is the php.ini (or its directory) the -c flag names, fpmConf
	// the php-fpm.conf -y names: container paths, "" when not given.
	ini, fpmConf string
	defines      map[string]*phpSetting
}

// phpFlags reads the flags of a php-fpm command line (args follow the
// php-fpm word): -c (php.ini), -y (php-fpm.conf), -d name=value.
func phpFlags(ws []Word) phpFlagsResult {
	out := phpFlagsResult{defines: map[string]*phpSetting{}}
	for i := 0; i < len(ws); i++ {
		if v, _, j, ok := FlagValue(ws, i, "--php-ini", "-c"); ok {
			out.ini, i = path.Clean(v), j
			continue
		}
		if v, _, j, ok := FlagValue(ws, i, "--fpm-config", "-y"); ok {
			out.fpmConf, i = path.Clean(v), j
			continue
		}
		if v, at, j, ok := FlagValue(ws, i, "--define", "-d"); ok {
			i = j
			name, val, found := strings.Cut(v, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			if !found {
				continue
			}
			if name == "upload_max_filesize" || name == "post_max_size" {
				out.defines[name] = &phpSetting{value: cfg.PHPSize(val), raw: val, rng: at.From.Range, where: "the php-fpm command line"}
			}
		}
	}
	return out
}

// phpFiles finds the php.ini and conf.d files, and the php-fpm
// configuration and pool files, that the container has from the tree,
// in the order PHP reads them. ok is false when the command line names a
// file the container does not have from the tree.
func (r *resolver) phpFiles(flags phpFlagsResult) (inis, pools []*parsers.File, ok bool) {
	if r.p.Files == nil {
		return nil, nil, flags.ini == "" && flags.fpmConf == ""
	}
	files := r.containerFiles()
	if flags.fpmConf != "" && files[flags.fpmConf] == "" {
		return nil, nil, false
	}
	if flags.ini != "" && files[flags.ini] == "" && !hasUnder(files, flags.ini) {
		return nil, nil, false
	}
	var iniPaths, poolPaths []string
	for target := range files {
		dir, base := path.Dir(target), path.Base(target)
		switch {
		case strings.Contains(target, "/cli/"):
			// php-cli's own settings, not php-fpm's.
		case flags.ini != "" && (target == flags.ini || dir == strings.TrimSuffix(flags.ini, "/")):
			iniPaths = append(iniPaths, target)
		case flags.fpmConf != "" && target == flags.fpmConf:
			poolPaths = append(poolPaths, target)
		case base == "php.ini" && strings.Contains(dir, "php"):
			iniPaths = append(iniPaths, target)
		case strings.HasSuffix(base, ".ini") && strings.Contains(dir, "php") && strings.Contains(dir, "conf.d"):
			iniPaths = append(iniPaths, target)
		case strings.HasSuffix(base, ".conf") && (strings.Contains(dir, "php-fpm.d") || strings.Contains(dir, "/fpm/pool.d") || base == "php-fpm.conf" || base == "www.conf" && strings.Contains(dir, "php")):
			poolPaths = append(poolPaths, target)
		}
	}
	// php.ini first, then the scan directory's files by name.
	sort.Slice(iniPaths, func(i, j int) bool {
		a, b := path.Base(iniPaths[i]) == "php.ini", path.Base(iniPaths[j]) == "php.ini"
		if a != b {
			return a
		}
		return path.Base(iniPaths[i]) < path.Base(iniPaths[j])
	})
	sort.Slice(poolPaths, func(i, j int) bool {
		a, b := path.Base(poolPaths[i]) == "php-fpm.conf", path.Base(poolPaths[j]) == "php-fpm.conf"
		if a != b {
			return a
		}
		return path.Base(poolPaths[i]) < path.Base(poolPaths[j])
	})
	for _, t := range iniPaths {
		if f, err := r.read(files[t]); err == nil {
			inis = append(inis, f)
		}
	}
	for _, t := range poolPaths {
		if f, err := r.read(files[t]); err == nil {
			pools = append(pools, f)
		}
	}
	return inis, pools, true
}

func hasUnder(files map[string]string, dir string) bool {
	for t := range files {
		if path.Dir(t) == dir {
			return true
		}
	}
	return false
}

// expand substitutes ${VAR} and $VAR in a container path (a COPY
// destination) with the container's environment, and the official
// images' own (CATALINA_HOME of tomcat, PHP_INI_DIR of php). A variable
// without a value is left, and the path is then no absolute one.
func (r *resolver) expand(p string) string {
	if !strings.Contains(p, "$") {
		return p
	}
	img := r.image().Value
	return os.Expand(p, func(k string) string {
		if e, ok := r.p.Env[k]; ok && !e.Unknown {
			return e.Value
		}
		switch {
		case k == "CATALINA_HOME" && isTomcatImage(img):
			return "/usr/local/tomcat"
		case k == "PHP_INI_DIR" && officialPHP(img):
			return "/usr/local/etc/php"
		}
		return "$" + k
	})
}

// opaqueOver reports whether something hoplint does not read is mounted
// over, or inside, one of the container directories dirs.
func (r *resolver) opaqueOver(dirs ...string) bool {
	for _, o := range r.p.Opaque {
		o = path.Clean(r.expand(o))
		for _, d := range dirs {
			if o == "/" || o == d || strings.HasPrefix(d, o+"/") || strings.HasPrefix(o, d+"/") {
				return true
			}
		}
	}
	return false
}

// phpConfigDirs are where PHP and php-fpm read their configuration in the
// official image and in distribution packages.
var phpConfigDirs = []string{"/usr/local/etc/php", "/usr/local/etc/php-fpm.d", "/usr/local/etc/php-fpm.conf", "/etc/php"}

// maxMountFiles bounds the files one mounted directory contributes.
const maxMountFiles = 2000

// containerFiles maps the container paths of the files the process's
// mounts put there to their slash paths in the tree; a later mount wins.
// Directories are walked three levels deep.
func (r *resolver) containerFiles() map[string]string {
	out := map[string]string{}
	v := r.p.Files
	for _, m := range r.p.Mounts {
		target := path.Clean(r.expand(m.Target))
		if !path.IsAbs(target) {
			continue
		}
		if v.Exists(m.Source) {
			if m.Into {
				target = path.Join(target, path.Base(m.Source))
			}
			out[target] = m.Source
			continue
		}
		n := 0
		var walk func(src, dst string, depth int)
		walk = func(src, dst string, depth int) {
			for _, name := range v.List(src) {
				if n >= maxMountFiles {
					return
				}
				n++
				out[path.Join(dst, name)] = path.Join(src, name)
			}
			if depth == 0 {
				return
			}
			for _, d := range v.Dirs(src) {
				walk(path.Join(src, d), path.Join(dst, d), depth-1)
			}
		}
		walk(m.Source, target, 3)
	}
	return out
}

// phpNames are the settings a RUN line may write.
var phpNames = []string{"upload_max_filesize", "post_max_size"}

// phpAssign is a "name = value" a RUN line writes (echo, printf, sed's
// replacement), with a plain PHP size as the value.
var phpAssign = regexp.MustCompile(`(?i)\b(upload_max_filesize|post_max_size)[ \t]*=[ \t]*([0-9]+[KMG]?)\b`)

// phpRuns reads the php.ini values the Dockerfile's RUN lines write. A
// RUN line that names a setting but writes no clean "name = size" for it
// (a variable, a sed expression) makes it unknown.
func (r *resolver) phpRuns() map[string]*phpSetting {
	out := map[string]*phpSetting{}
	for _, run := range r.p.Runs {
		low := strings.ToLower(run.Value)
		for _, name := range phpNames {
			if !strings.Contains(low, name) {
				continue
			}
			var last []string
			for _, m := range phpAssign.FindAllStringSubmatch(run.Value, -1) {
				if strings.EqualFold(m[1], name) {
					last = m
				}
			}
			if last == nil || strings.Contains(low, "/cli/") {
				out[name] = &phpSetting{value: cfg.Value{Kind: cfg.Unknown}, rng: run.Range}
				continue
			}
			out[name] = &phpSetting{value: cfg.PHPSize(last[2]), raw: last[2], rng: run.Range, where: "a RUN line of " + r.dockerfileName()}
		}
	}
	return out
}

func (r *resolver) dockerfileName() string {
	if r.p.Dockerfile != "" {
		return r.p.Dockerfile
	}
	return "the Dockerfile"
}
