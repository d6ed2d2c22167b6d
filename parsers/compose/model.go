// Package compose reads docker-compose projects into typed services whose
// every field keeps the file and line that set its effective value.
//
// Projects are loaded with github.com/compose-spec/compose-go/v2, the
// Compose Specification's own loader and the one `docker compose` uses, so
// override files, include:, extends:, profiles and ${VAR:-default}
// interpolation behave as they do for docker compose. hoplint gives it:
//   - the compose files' contents (read by hoplint, within the linted root);
//   - a resource loader through which every include: and extends: file
//     passes: it refuses URLs and git or OCI references (nothing is
//     fetched), resolves paths against the including file and refuses any
//     that leave the root, following symlinks;
//   - an environment made only of the project's .env: the process's own
//     environment never reaches interpolation, and a variable that .env
//     does not set, with no default in the file, leaves the fields it feeds
//     unknown;
//   - no env_file or label_file resolution (hoplint reads env_file itself,
//     within the root).
//
// compose-go keeps no line numbers, so positions come from a second walk of
// the same files as gopkg.in/yaml.v3 Nodes, in the order compose merges
// them: for each field, the last file that sets it is the one a finding
// points at.
package compose

import (
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// Project is one compose project: the files `docker compose` would read in
// its directory (or the files named together), merged.
type Project struct {
	// Dir is the project directory (absolute): relative paths in the files
	// resolve against it.
	Dir string
	// Files are every compose file read for the project, in merge order:
	// the main file, its override, then files reached by include: and
	// extends:.
	Files []*parsers.File
	// Services in name order, including those only enabled by a profile.
	Services []*Service
	// Configs are the top-level configs:, by name.
	Configs map[string]*Config
	// Env is the project's .env as read (nil when there is none).
	Env map[string]string
	// EnvFiles are the .env and env_file files read.
	EnvFiles []*parsers.File
	// NotCompose is set when the main file is YAML but not a compose file
	// (a discourse launcher container definition, say); nothing else is
	// then filled in.
	NotCompose *NotCompose
	// Version1 marks a version-1 compose file (services at the top level,
	// no services: key), read as if its services were under services:.
	Version1 bool
	// Comments of every file, by File.Path, for suppressions.
	Comments map[string][]parsers.Comment
	// Problems: files that could not be loaded, includes refused, inputs
	// missing (each reported once).
	Problems []parsers.Problem
	// Loaded is false when compose-go could not load the project (see
	// Problems): Services is then empty.
	Loaded bool
}

// NotCompose says why a YAML file that looked like compose is not one.
type NotCompose struct {
	Reason string
	Range  parsers.Range
}

// Service is one service of the project.
type Service struct {
	Name string
	// Range is the service's key in the file that defines it (the first
	// file in merge order that names it).
	Range    parsers.Range
	Profiles []string

	Image String
	Build *Build

	Command    Command
	Entrypoint Command

	// Environment holds each variable with its value (Known false when the
	// value comes from a variable hoplint has no value for).
	Environment map[string]EnvVar
	// EnvIncomplete: an env_file hoplint could not read may set more
	// variables than Environment lists.
	EnvIncomplete bool

	Ports    []Port
	Expose   []String
	Networks []Network
	Volumes  []Mount
	Configs  []ConfigMount
	Labels   map[string]String

	Limits       Resources
	Reservations Resources
	// MemLimit, MemReservation and CPUs are the service-level mem_limit,
	// mem_reservation and cpus.
	MemLimit        Bytes
	MemReservation  Bytes
	CPUs            CPUs
	StopGracePeriod Duration
}

// String is a scalar as the loaded project has it.
type String struct {
	Value string
	// Set is false when no file sets the field.
	Set bool
	// Known is false when the value depends on a variable with no value
	// (Value then holds what compose substituted, usually "").
	Known bool
	Range parsers.Range
}

// Command is a command: or entrypoint:.
type Command struct {
	// Args is the command as compose runs it: a list as written, or a
	// string split into words as a shell would (compose does not run a
	// shell for it).
	Args []string
	// Form is "list" or "string".
	Form  string
	Set   bool
	Known bool
	Range parsers.Range
}

// EnvVar is one environment variable of a service.
type EnvVar struct {
	Value string
	// Known is false when the value is not known: written as a bare name
	// that .env does not set, or interpolated from a variable with no
	// value.
	Known bool
	// From is "environment" or the env_file that set it (its File.Path).
	From  string
	Range parsers.Range
}

// Build is a service's build: section.
type Build struct {
	// Context as written (after interpolation) and resolved: ContextDir is
	// absolute, "" when the context is remote or outside the root.
	Context    string
	ContextDir string
	Remote     bool
	Outside    bool
	// ContextUnknown: the context comes from a variable with no value,
	// so ContextDir and DockerfilePath are "" (compose's substitute is
	// no directory anyone builds from).
	ContextUnknown bool
	// Dockerfile as written ("Dockerfile" when not), and resolved against
	// the context ("" when unknown or outside the root).
	Dockerfile     string
	DockerfilePath string
	Inline         bool // dockerfile_inline
	Target         String
	// Args are build.args: the values the build passes for the
	// Dockerfile's ARGs (Known false for one with no value).
	Args  map[string]String
	Known bool
	Range parsers.Range
}

// Port is one entry of ports:.
type Port struct {
	Target    uint32
	Published string // "" when not published ("8080-8090" for a range)
	HostIP    string
	Protocol  string
	Known     bool
	Range     parsers.Range
}

// Network is one network the service joins, with its aliases.
type Network struct {
	Name    string
	Aliases []string
	Range   parsers.Range
}

// Mount is one entry of volumes:.
type Mount struct {
	// Type is "bind", "volume", "tmpfs", "npipe", "cluster" or "image".
	Type string
	// Source as written (after interpolation).
	Source string
	// SourcePath is a bind mount's source resolved against the project
	// directory; "" when Outside or not Known.
	SourcePath string
	// Outside: the bind source leaves the linted root; hoplint reads
	// nothing there.
	Outside  bool
	Target   string
	ReadOnly bool
	Known    bool
	Range    parsers.Range
}

// Config is a top-level configs: entry.
type Config struct {
	Name string
	// File as written and resolved ("" when the config is not a file, or
	// the file is outside the root).
	File     string
	FilePath string
	Outside  bool
	// Inline: content: or environment: gives the config's text.
	Inline bool
	Range  parsers.Range
}

// ConfigMount is a service's use of a top-level config.
type ConfigMount struct {
	Name   string
	Config *Config // nil when the project does not define it
	// Target is the path inside the container (/<name> by default).
	Target string
	Range  parsers.Range
}

// Resources are deploy.resources.limits or reservations.
type Resources struct {
	Memory Bytes
	CPUs   CPUs
}

// Bytes is a memory size.
type Bytes struct {
	Bytes int64
	Raw   string
	Set   bool
	Known bool
	Range parsers.Range
}

// CPUs is a number of CPUs.
type CPUs struct {
	CPUs  float64
	Raw   string
	Set   bool
	Known bool
	Range parsers.Range
}

// Duration is a compose duration (stop_grace_period).
type Duration struct {
	Value time.Duration
	Raw   string
	Set   bool
	Known bool
	Range parsers.Range
}

// Service returns the service called name, or nil.
func (p *Project) Service(name string) *Service {
	for _, s := range p.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}
