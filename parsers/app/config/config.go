// Package config reads app servers' own configuration files: php.ini and
// php-fpm pools, Spring Boot application properties and YAML, Tomcat's
// server.xml, Kestrel's appsettings.json, gunicorn.conf.py, uWSGI ini and
// Puma's puma.rb. Each reader returns the settings hoplint can use, each
// with its range and its value in the product's own units, read with the
// product's own syntax. Nothing is executed: the Python and Ruby files are
// tokenized, and only literal values (and environment variables with a
// literal fallback) are known.
package config

import (
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// MaxSize is the largest configuration file read.
const MaxSize = 4 << 20

// ValueKind says what a Value holds.
type ValueKind int

// Kinds of values.
const (
	// Unknown: hoplint cannot tell (an expression, a placeholder without
	// a default); Reason says why.
	Unknown ValueKind = iota
	Duration
	Bytes
	Int
	String
	Bool
	// Env: an environment variable, with a Fallback when the file gives
	// one. The caller resolves it against the container's environment.
	Env
)

// Value is a setting's value, read with the product's syntax.
type Value struct {
	Kind     ValueKind
	Duration time.Duration
	Bytes    int64
	Int      int64
	Str      string
	Bool     bool
	// Unlimited marks the product's "no limit" value (PHP's 0 or -1,
	// Spring's -1 for a data size, Kestrel's null body size).
	Unlimited bool
	Env       string
	Fallback  *Value
	// EmptyFallsBack: the fallback also applies when the variable is set
	// but empty (PHP's ${VAR:-default}); otherwise only when it is unset.
	EmptyFallsBack bool
	Reason         string
}

// Resolve gives the value for an environment: env looks a variable up
// (nil: the environment is unknown); reparse is the setting's Reparse.
// ok is false when the value stays unknown.
func (v Value) Resolve(env func(string) (string, bool), reparse func(string) Value) (Value, bool) {
	if v.Kind != Env {
		return v, v.Kind != Unknown
	}
	if env == nil {
		return Value{}, false
	}
	s, set := env(v.Env)
	if !set || s == "" && v.EmptyFallsBack {
		if v.Fallback == nil {
			return Value{}, false
		}
		return v.Fallback.Resolve(env, reparse)
	}
	if reparse == nil {
		return Value{Kind: String, Str: s}, true
	}
	out := reparse(s)
	return out, out.Kind != Unknown && out.Kind != Env
}

// Setting is one setting as a file writes it.
type Setting struct {
	// Name is the product's name for it (upload_max_filesize,
	// server.tomcat.keep-alive-timeout, Kestrel:Limits:KeepAliveTimeout).
	Name string
	// Raw is the value as written, for messages.
	Raw   string
	Value Value
	// Range covers the whole setting; ValueRange the value alone.
	Range, ValueRange parsers.Range
	// Section names where the setting lives when a file has several: the
	// php-fpm pool, the Spring profile, the Tomcat connector's port, the
	// uWSGI section.
	Section string
	// Condition is set when the setting applies only under a condition
	// (a uWSGI if-env block, a Puma `if`, a profile-specific document).
	Condition string
	// Reparse reads a value given elsewhere (an environment variable's
	// value, for Value.Resolve) with this setting's syntax and units.
	Reparse func(string) Value
}

// Result is what one file says.
type Result struct {
	Settings []Setting
	Problems []parsers.Problem
}

// Get returns the last unconditional setting called name in section ("":
// any section), or nil.
func (r *Result) Get(name, section string) *Setting {
	for i := len(r.Settings) - 1; i >= 0; i-- {
		s := &r.Settings[i]
		if s.Name == name && (section == "" || s.Section == section) && s.Condition == "" {
			return s
		}
	}
	return nil
}

func tooLarge(f *parsers.File) *Result {
	return &Result{Problems: []parsers.Problem{{Kind: parsers.ProblemSkipped, Range: f.At(1, 1, 1, 1),
		Message: "this file is larger than hoplint reads for app-server settings; settings in it are not seen"}}}
}

func unknown(reason string) Value { return Value{Kind: Unknown, Reason: reason} }

// lineRange covers columns [from, to) (0-based byte offsets) of line n.
func lineRange(f *parsers.File, n, from, to int) parsers.Range {
	return f.At(n, from+1, n, to+1)
}

// trimmed returns the offsets of s[from:to] without surrounding blanks.
func trimmed(s string, from, to int) (int, int) {
	for from < to && (s[from] == ' ' || s[from] == '\t') {
		from++
	}
	for to > from && (s[to-1] == ' ' || s[to-1] == '\t' || s[to-1] == '\r') {
		to--
	}
	return from, to
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func lower(s string) string { return strings.ToLower(s) }

// blankBOM returns data with a UTF-8 byte-order mark replaced by spaces,
// so that readers that refuse it still see every byte at its offset.
func blankBOM(data []byte) []byte {
	if !parsers.HasBOM(data) {
		return data
	}
	out := append([]byte(nil), data...)
	out[0], out[1], out[2] = ' ', ' ', ' '
	return out
}
