package compose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/consts"
	cgloader "github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"

	"github.com/hoplint/hoplint/parsers"
)

// DefaultFileNames and DefaultOverrideFileNames are the names `docker
// compose` looks for in a directory, in its order of preference; it takes
// the first of each list that exists (compose-go cli/options.go, v2.16.2,
// lines 484-488).
var (
	DefaultFileNames         = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}
	DefaultOverrideFileNames = []string{"compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"}
)

// Limits on what one project may make hoplint do. No real project comes
// near them; they stop a hostile one.
const (
	// maxFiles caps the files include: and extends: may pull in.
	maxFiles = 256
	// maxLoads caps the resource loader's calls (compose-go calls it once
	// per extends: with a file, even for the same file).
	maxLoads = 4096
	// maxNesting caps ${ nesting in one interpolated string.
	maxNesting = 32
	// maxInterpolated caps one interpolated string, and totalInterpolated
	// what all of a project's interpolation may produce.
	maxInterpolated   = 1 << 20
	totalInterpolated = 64 << 20
	// maxEnvValue caps a .env value after its own ${VAR} expansion.
	maxEnvValue = 1 << 20
	// maxServices caps the services hoplint types (positions are looked
	// up per service).
	maxServices = 200000
)

// Options say what a load may read.
type Options struct {
	// Root is the absolute linted root: nothing outside it is read.
	// Default: the Root of the first file.
	Root string
	// WorkDir is the directory File.Path is relative to (default: the
	// process's working directory).
	WorkDir string
}

// DefaultFiles returns the compose files `docker compose` reads in dir: the
// first of DefaultFileNames that exists and the first override, or nil.
func DefaultFiles(dir string) []string {
	var out []string
	for _, names := range [][]string{DefaultFileNames, DefaultOverrideFileNames} {
		for _, n := range names {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				out = append(out, p)
				break
			}
		}
		if out == nil {
			return nil
		}
	}
	return out
}

// LoadDir loads the project `docker compose` would load in dir (nil when
// dir holds no compose file).
func LoadDir(dir string, opt Options) *Project {
	names := DefaultFiles(dir)
	if names == nil {
		return nil
	}
	if opt.Root == "" {
		opt.Root = dir
	}
	l := newLoader(opt)
	var files []*parsers.File
	for _, n := range names {
		f, err := l.read(n)
		if err != nil {
			l.problem(parsers.ProblemParse, parsers.Range{File: l.display(n)}, "hoplint could not read this compose file: "+err.Error())
			continue
		}
		files = append(files, f)
	}
	return l.load(files)
}

// Load loads files as one project, as `docker compose -f A -f B` does: the
// project directory is the first file's directory, later files override
// earlier ones.
func Load(files []*parsers.File, opt Options) *Project {
	if opt.Root == "" && len(files) > 0 {
		opt.Root = files[0].Root
	}
	return newLoader(opt).load(files)
}

type loader struct {
	root, realRoot string
	wd             string
	dir            string // project directory
	p              *Project
	env            map[string]string
	layers         []*layer // every YAML document read, by file, in read order
	byAbs          map[string][]*layer
	files          map[string]*parsers.File // by real absolute path
	includes       map[string]bool          // real paths of files named by include:
	loads          int
	interpolated   int
	problemSeen    map[string]bool
	unknownVars    map[string]bool // variables used with no value
	missingEnv     bool
	placeholders   map[string]string // see notePlaceholders
	composing      bool              // compose-go runs: files parsed now are included or extended
	casts          *castFilter       // the type casts compose-go is given (see casts.go)
	// last* remember the resource loader's last answer: compose-go asks
	// for Dir with the raw path right after Load.
	lastRaw, lastLocal string
}

func newLoader(opt Options) *loader {
	root := filepath.Clean(opt.Root)
	wd := opt.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	return &loader{root: root, realRoot: parsers.RealPath(root), wd: wd, p: &Project{},
		byAbs: map[string][]*layer{}, files: map[string]*parsers.File{}, includes: map[string]bool{}, problemSeen: map[string]bool{}, unknownVars: map[string]bool{}}
}

func (l *loader) display(abs string) string { return parsers.RelPath(l.wd, abs) }

// read reads a file inside the root (symlinks followed only inside it),
// capped at parsers.MaxFileSize.
func (l *loader) read(abs string) (*parsers.File, error) {
	abs = filepath.Clean(abs)
	data, err := parsers.ReadWithin(l.root, abs)
	if err != nil {
		if errors.Is(err, parsers.ErrOutsideRoot) {
			return nil, errors.New("it is outside the linted root, and hoplint reads nothing there")
		}
		return nil, err
	}
	return parsers.NewFile(l.display(abs), abs, l.root, "", data), nil
}

func (l *loader) problem(kind parsers.ProblemKind, r parsers.Range, msg string) {
	key := string(kind) + "\x00" + r.String() + "\x00" + msg
	if l.problemSeen[key] {
		return
	}
	l.problemSeen[key] = true
	l.p.Problems = append(l.p.Problems, parsers.Problem{Kind: kind, Range: r, Message: msg})
}

var quietLogs sync.Once

func (l *loader) load(files []*parsers.File) *Project {
	p := l.p
	if len(files) == 0 {
		return p
	}
	defer func() {
		// Whatever fails in typing the project becomes a problem on its
		// file; the run goes on.
		if r := recover(); r != nil {
			p.Loaded, p.Services = false, nil
			l.problem(parsers.ProblemParse, files[0].LineRange(1), fmt.Sprintf("hoplint could not read this compose project (%v)", r))
		}
	}()
	// compose-go reports through logrus (obsolete version: keys, unset
	// variables); hoplint reports through findings only.
	quietLogs.Do(func() { logrus.SetOutput(io.Discard) })
	first := files[0]
	l.dir = filepath.Dir(first.Abs)
	p.Dir = l.dir
	var configs []types.ConfigFile
	for _, f := range files {
		if len(f.Bytes()) > parsers.MaxFileSize {
			l.problem(parsers.ProblemParse, f.LineRange(1), fmt.Sprintf("file is over hoplint's limit of %d bytes; not read", parsers.MaxFileSize))
			return p
		}
		real := parsers.RealPath(f.Abs)
		l.files[real] = f
		p.Files = append(p.Files, f)
		layers, err := l.parse(f, real)
		if err != nil {
			if n := parsers.FirstTemplateLine(f.Bytes()); n > 0 {
				// Jinja or Go template tags make it a template that a
				// tool renders into the compose file: not broken, and
				// not what docker compose reads.
				l.problem(parsers.ProblemSkipped, f.LineRange(n), fmt.Sprintf("this compose file is a template (a template tag at line %d; it does not parse as YAML until rendered), so hoplint does not read its services; lint the rendered file to check them", n))
				return p
			}
			l.problem(parsers.ProblemParse, yamlErrRange(f, err), "this compose file does not parse as YAML: "+cleanYAMLErr(err))
			return p
		}
		content := f.Bytes()
		if f == first && len(layers) > 0 {
			if nc := notCompose(f, layers[0].root); nc != nil {
				p.NotCompose = nc
				p.Files = p.Files[:0]
				return p
			}
			if isVersion1(layers[0].root) {
				p.Version1 = true
				content = l.wrapVersion1(layers[0])
			}
		}
		configs = append(configs, types.ConfigFile{Filename: f.Abs, Content: content})
	}
	if len(l.layers) == 0 {
		l.problem(parsers.ProblemSkipped, first.LineRange(1), "this compose file is empty: it defines no services")
		return p
	}
	l.readDotEnv()
	for _, ly := range l.layers {
		l.notePlaceholders(ly)
		if l.checkIncludes(ly) != nil {
			// A refused include: compose-go would read it; hoplint does
			// not load the project rather than read outside the root.
			return p
		}
	}
	l.composing = true
	project, err := l.compose(configs)
	if err != nil {
		l.loadError(err)
		return p
	}
	p.Loaded = true
	l.build(project)
	l.comments()
	return p
}

// compose runs compose-go over the files.
func (l *loader) compose(configs []types.ConfigFile) (project *types.Project, err error) {
	// compose-go is a library of many authors: whatever it panics on
	// becomes a problem with the file, never a crash.
	defer func() {
		if r := recover(); r != nil {
			project, err = nil, fmt.Errorf("compose-go failed on this project (%v)", r)
		}
	}()
	env := types.Mapping{}
	for k, v := range l.env {
		env[k] = v
	}
	details := types.ConfigDetails{WorkingDir: l.dir, ConfigFiles: configs, Environment: env}
	name := cgloader.NormalizeProjectName(filepath.Base(l.dir))
	if name == "" {
		name = "project"
	}
	opts := func(o *cgloader.Options) {
		o.SetProjectName(name, true)
		// Every service, whatever its profiles: hoplint lints them all.
		o.Profiles = []string{"*"}
		// env_file and label_file are not read by compose-go: hoplint
		// reads env files itself, inside the root.
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		// A network or config defined in a file hoplint could not follow
		// must not drop the project.
		o.SkipConsistencyCheck = true
		o.ResourceLoaders = []cgloader.ResourceLoader{confined{l}}
		// Interpolation sees .env only, never the process's environment.
		o.Interpolate.LookupValue = l.lookup
		o.Interpolate.Substitute = l.substitute
		// Only the casts whose keys occur in the project's files; files
		// read later through confined add theirs to the same map.
		l.castsFor(l.layers)
		o.Interpolate.TypeCastMapping = l.casts.out
	}
	return cgloader.LoadWithContext(context.Background(), details, opts)
}

func (l *loader) lookup(k string) (string, bool) {
	v, ok := l.env[k]
	return v, ok
}

// loadError turns what compose-go refused into a problem on the file and
// line it names, when it names one.
func (l *loader) loadError(err error) {
	msg := err.Error()
	var refused *refusedError
	if errors.As(err, &refused) {
		l.problem(parsers.ProblemUnfollowed, refused.at, refused.Error())
		return
	}
	r := l.p.Files[0].LineRange(1)
	// Name the file compose-go names, when it is one hoplint read.
	for abs, f := range l.files {
		if strings.Contains(msg, abs) {
			r = f.LineRange(1)
			msg = strings.ReplaceAll(msg, abs, f.Path)
		}
	}
	msg = strings.ReplaceAll(msg, l.dir+string(filepath.Separator), "")
	if at, ok := l.pathRange(msg); ok {
		r = at
	} else if at, ok := l.valueRange(msg); ok {
		r = at
	}
	l.problem(parsers.ProblemParse, r, "docker compose would not load this project: "+firstLines(msg, 6))
}

var servicePathRe = regexp.MustCompile(`services\.([^.\s:]+)(?:\.([a-z_]+))?`)

// pathRange finds the line a compose-go message is about when it names a
// service field ("services.web.ports.[0] is missing a target port").
func (l *loader) pathRange(msg string) (parsers.Range, bool) {
	m := servicePathRe.FindStringSubmatch(msg)
	if m == nil {
		return parsers.Range{}, false
	}
	ch := l.chain(m[1])
	if m[2] != "" {
		if d, k, v := field(ch, m[2]); k != nil {
			return pairRange(d.ly.file, k, v), true
		}
	}
	for i := len(ch) - 1; i >= 0; i-- {
		if ch[i].own {
			return nodeRange(ch[i].ly.file, ch[i].k), true
		}
	}
	return parsers.Range{}, false
}

// valueRange finds the one line that holds the value a compose-go message
// ends with ("Invalid containerPort: not a port").
func (l *loader) valueRange(msg string) (parsers.Range, bool) {
	i := strings.LastIndex(msg, ": ")
	if i < 0 {
		return parsers.Range{}, false
	}
	val := strings.TrimSpace(msg[i+2:])
	if len(val) < 3 || strings.Contains(val, "\n") {
		return parsers.Range{}, false
	}
	var found []parsers.Range
	for _, f := range l.p.Files {
		for n := 1; n <= f.NumLines() && len(found) < 2; n++ {
			if strings.Contains(f.Line(n), val) {
				found = append(found, f.LineRange(n))
			}
		}
	}
	if len(found) != 1 {
		return parsers.Range{}, false
	}
	return found[0], true
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "; ")
}

// refusedError is the resource loader's answer for a file hoplint will not
// read.
type refusedError struct {
	path, why string
	at        parsers.Range
}

func (e *refusedError) Error() string {
	return fmt.Sprintf("hoplint did not follow %q: %s; what it defines is unknown", e.path, e.why)
}

// confined is the only resource loader compose-go gets: every include: and
// extends: file passes through it.
type confined struct{ l *loader }

func (confined) Accept(string) bool { return true }

func (c confined) Load(ctx context.Context, p string) (string, error) {
	l := c.l
	from, _ := ctx.Value(consts.ComposeFileKey{}).(string)
	at := parsers.Range{File: l.display(l.dir)}
	if f := l.files[parsers.RealPath(from)]; f != nil {
		at = l.refRange(f, p)
	}
	l.loads++
	if l.loads > maxLoads {
		return "", &refusedError{path: p, why: fmt.Sprintf("the project reaches more than %d include:/extends: files", maxLoads), at: at}
	}
	if isRemote(p) {
		return "", &refusedError{path: p, why: "it is remote, and hoplint never reaches the network", at: at}
	}
	base := l.dir
	if from != "" && from != "-" {
		base = filepath.Dir(from)
	}
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(base, abs)
	}
	abs = filepath.Clean(abs)
	real := parsers.RealPath(abs)
	if _, ok := l.files[real]; !ok {
		if len(l.files) >= maxFiles {
			return "", &refusedError{path: p, why: fmt.Sprintf("the project reaches more than %d files", maxFiles), at: at}
		}
		f, err := l.read(abs)
		if err != nil {
			return "", &refusedError{path: p, why: err.Error(), at: at}
		}
		real = parsers.RealPath(abs)
		// An included project reads the .env beside it: that must be
		// inside the root too.
		if err := l.checkEnvBeside(filepath.Dir(real)); err != nil {
			return "", &refusedError{path: p, why: err.Error(), at: at}
		}
		l.files[real] = f
		l.p.Files = append(l.p.Files, f)
		layers, err := l.parse(f, real)
		if err != nil {
			return "", &refusedError{path: p, why: "it does not parse as YAML: " + cleanYAMLErr(err), at: at}
		}
		for _, ly := range layers {
			l.notePlaceholders(ly)
			if err := l.checkIncludes(ly); err != nil {
				return "", err
			}
		}
		// compose-go interpolates this file next: its keys may need casts.
		if l.casts != nil {
			l.castsFor(layers)
		}
	}
	l.lastRaw, l.lastLocal = p, real
	return real, nil
}

func (c confined) Dir(p string) string {
	l := c.l
	if p == l.lastRaw {
		return filepath.Dir(l.lastLocal)
	}
	if filepath.IsAbs(p) {
		return filepath.Dir(p)
	}
	return filepath.Dir(filepath.Join(l.dir, p))
}

// isRemote recognises what compose-go's remote loaders would fetch: URLs,
// git references and OCI artifacts.
func isRemote(p string) bool {
	lp := strings.ToLower(p)
	if i := strings.Index(lp, "://"); i > 0 {
		return true
	}
	for _, pre := range []string{"git@", "oci:", "github.com/", "gitlab.com/"} {
		if strings.HasPrefix(lp, pre) {
			return true
		}
	}
	return false
}

// checkEnvBeside refuses a directory whose .env compose-go would read
// itself (an included project's) when that .env leads outside the root,
// is not a regular file of a readable size, or expands without bound.
func (l *loader) checkEnvBeside(dir string) error {
	env := filepath.Join(dir, ".env")
	if _, err := os.Lstat(env); err != nil {
		return nil //nolint:nilerr // no .env: nothing for compose-go to read
	}
	return l.checkEnvFile(env)
}

// checkEnvFile refuses an env file compose-go would read without asking
// hoplint.
func (l *loader) checkEnvFile(abs string) error {
	if !l.inside(abs) {
		return fmt.Errorf("%s is outside the linted root, and hoplint reads nothing there", l.display(abs))
	}
	data, err := parsers.ReadWithin(l.root, abs)
	if err != nil {
		return fmt.Errorf("%s cannot be read: %w", l.display(abs), err)
	}
	if reason := envTooBig(data); reason != "" {
		return fmt.Errorf("%s: %s", l.display(abs), reason)
	}
	return nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
