package apache

import (
	"errors"
	"math"
	"strings"
	"time"
)

var errFormat = errors.New("wrong format")

// ParseTimeout reads a value the way ap_timeout_parameter_parse does
// (KeepAliveTimeout, ProxyPass connectiontimeout=, …): a whole number, then
// an optional unit of which httpd looks only at the first letters: "s…"
// seconds, "ms…" milliseconds, "mi…" minutes, "h…" hours. A bare number
// takes defUnit ("s" or "ms"). Negative numbers, fractions and other units
// ("5m") are refused.
func ParseTimeout(s, defUnit string) (time.Duration, error) {
	n, rest, ok := strtoi(s)
	if !ok {
		return 0, errFormat
	}
	if n < 0 {
		return 0, errFormat
	}
	unit := rest
	if unit == "" {
		unit = defUnit
	}
	var mult time.Duration
	switch {
	case strings.HasPrefix(unit, "s"):
		mult = time.Second
	case strings.HasPrefix(unit, "h"):
		mult = time.Hour
	case strings.HasPrefix(unit, "ms"):
		mult = time.Millisecond
	case strings.HasPrefix(unit, "mi"):
		mult = time.Minute
	default:
		return 0, errFormat
	}
	if n > math.MaxInt64/int64(mult) {
		return 0, errFormat
	}
	return time.Duration(n) * mult, nil
}

// strtoi is C's strtoll in base 10: leading spaces, a sign, digits; rest is
// what follows. ok is false on overflow (errno ERANGE).
func strtoi(s string) (n int64, rest string, ok bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := int64(s[i] - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, "", false
		}
		n = n*10 + d
		i++
	}
	if i == start {
		// No digits: nothing converted, the whole string is the rest.
		return 0, s, true
	}
	if neg {
		n = -n
	}
	return n, s[i:], true
}

// Atoi is C's atoi as httpd uses it for Timeout, ProxyTimeout and most
// ProxyPass parameters: the leading number, whatever follows ignored, 0
// when there is none. exact is false when something was ignored.
func Atoi(s string) (n int64, exact bool) {
	v, rest, ok := strtoi(s)
	if !ok {
		return 0, false
	}
	if v > math.MaxInt32 || v < math.MinInt32 {
		// atoi's result is an int; hoplint does not model the wrap.
		return v, false
	}
	return v, rest == "" && strings.TrimSpace(s) != ""
}

// ParseSize reads LimitRequestBody: a non-negative whole number of bytes
// (apr_strtoff), nothing after it.
func ParseSize(s string) (int64, error) {
	v, rest, ok := strtoi(s)
	if !ok || rest != "" || v < 0 || strings.TrimSpace(s) == "" {
		return 0, errFormat
	}
	return v, nil
}

// OnOff reads a flag; ok is false for anything but on/off.
func OnOff(s string) (on, ok bool) {
	switch strings.ToLower(s) {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	return false, false
}
