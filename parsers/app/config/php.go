package config

import (
	"math"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// phpSizes are the php.ini settings read as PHP sizes.
var phpSizes = map[string]bool{"upload_max_filesize": true, "post_max_size": true, "memory_limit": true}

// phpSeconds are the php.ini settings read as whole seconds.
var phpSeconds = map[string]bool{"max_execution_time": true, "max_input_time": true}

// ParsePHPIni reads php.ini (or a conf.d/*.ini file): upload_max_filesize,
// post_max_size, memory_limit (PHP sizes), max_execution_time and
// max_input_time (seconds). ${VAR} and ${VAR:-default} (PHP 8.3) are
// environment variables.
func ParsePHPIni(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	for _, l := range readINI(f, true) {
		name := lower(l.key)
		if phpSizes[name] || phpSeconds[name] {
			st := l.setting(f, name, phpValue(name, l.value))
			st.Reparse = func(raw string) Value { return phpValue(name, raw) }
			res.Settings = append(res.Settings, st)
		}
	}
	return res
}

// phpValue reads a php.ini value, through an environment variable.
func phpValue(name, raw string) Value {
	raw = unquote(raw)
	if strings.Contains(raw, "{{") {
		return unknown("a template placeholder (" + raw + ") filled in before PHP reads the file")
	}
	if strings.HasPrefix(raw, "${") && strings.HasSuffix(raw, "}") {
		inner := raw[2 : len(raw)-1]
		v := Value{Kind: Env, Env: inner}
		if i := strings.Index(inner, ":-"); i >= 0 {
			v.Env, v.EmptyFallsBack = inner[:i], true
			fb := phpValue(name, inner[i+2:])
			v.Fallback = &fb
		}
		return v
	}
	if phpSeconds[name] {
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || n < 0 {
			return unknown("PHP reads " + strconv.Quote(raw) + " as a number of seconds hoplint cannot tell")
		}
		v := Value{Kind: Duration, Duration: secondsDur(n)}
		v.Unlimited = n == 0
		return v
	}
	return PHPSize(raw)
}

// PHPSize reads PHP's shorthand byte notation: an integer with an
// optional K, M or G suffix (any case; powers of 1024). -1 (memory_limit)
// and 0 (post_max_size) mean no limit.
func PHPSize(raw string) Value {
	s := strings.TrimSpace(raw)
	if s == "" {
		return unknown("empty")
	}
	mult := int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		mult = 1 << 10
	case 'm', 'M':
		mult = 1 << 20
	case 'g', 'G':
		mult = 1 << 30
	}
	if mult != 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return unknown("not a PHP size (an integer with K, M or G)")
	}
	if n <= 0 {
		return Value{Kind: Bytes, Bytes: n, Unlimited: true}
	}
	if n > math.MaxInt64/mult {
		return unknown("the size overflows")
	}
	return Value{Kind: Bytes, Bytes: n * mult}
}

// ParsePHPFPM reads a php-fpm configuration or pool file: in each pool
// ([www]) request_terminate_timeout (seconds, or with s, m, h, d), listen,
// and php_value / php_admin_value of the php.ini settings above.
func ParsePHPFPM(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	for _, l := range readINI(f, true) {
		name := lower(l.key)
		switch {
		case name == "request_terminate_timeout":
			st := l.setting(f, name, fpmDuration(l.value))
			st.Reparse = fpmDuration
			res.Settings = append(res.Settings, st)
		case name == "listen":
			res.Settings = append(res.Settings, l.setting(f, name, Value{Kind: String, Str: unquote(l.value)}))
		case strings.HasPrefix(name, "php_value[") || strings.HasPrefix(name, "php_admin_value["):
			inner := strings.TrimSuffix(name[strings.IndexByte(name, '[')+1:], "]")
			if phpSizes[inner] || phpSeconds[inner] {
				st := l.setting(f, inner, phpValue(inner, l.value))
				st.Reparse = func(raw string) Value { return phpValue(inner, raw) }
				res.Settings = append(res.Settings, st)
			}
		}
	}
	return res
}

// fpmDuration reads php-fpm's time values: seconds, or a number with s,
// m, h or d; 0 is no limit. ${VAR} is an environment variable.
func fpmDuration(raw string) Value {
	raw = unquote(strings.TrimSpace(raw))
	if strings.HasPrefix(raw, "${") && strings.HasSuffix(raw, "}") {
		return Value{Kind: Env, Env: raw[2 : len(raw)-1]}
	}
	if raw == "" {
		return unknown("empty")
	}
	unit := int64(1)
	switch raw[len(raw)-1] {
	case 's':
		raw = raw[:len(raw)-1]
	case 'm':
		unit, raw = 60, raw[:len(raw)-1]
	case 'h':
		unit, raw = 3600, raw[:len(raw)-1]
	case 'd':
		unit, raw = 86400, raw[:len(raw)-1]
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/int64(1e9)/unit {
		return unknown("not a php-fpm time (seconds, or a number with s, m, h, d)")
	}
	return Value{Kind: Duration, Duration: secondsDur(n * unit), Unlimited: n == 0}
}
