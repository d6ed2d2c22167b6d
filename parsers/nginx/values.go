package nginx

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Resolution says how nginx reads a time directive: most take
// milliseconds (ngx_conf_set_msec_slot); some take seconds
// (ngx_conf_set_sec_slot, the header argument of keepalive_timeout).
type Resolution uint8

const (
	Millis Resolution = iota
	Seconds
)

var timeUnits = []struct {
	unit string
	d    time.Duration
}{
	// Longest first so that "ms" is not read as "m" followed by "s".
	{"ms", time.Millisecond},
	{"y", 365 * 24 * time.Hour},
	{"M", 30 * 24 * time.Hour},
	{"w", 7 * 24 * time.Hour},
	{"d", 24 * time.Hour},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
}

// unitRank orders units from largest to smallest, as nginx requires them
// ("1h30m" is valid, "30m1h" is not).
var unitRank = map[string]int{"y": 0, "M": 1, "w": 2, "d": 3, "h": 4, "m": 5, "s": 6, "ms": 7}

// ParseTime reads an nginx time value by nginx's own rules (ngx_parse_time):
// whole numbers with units y M w d h m s ms, largest unit first, each unit at
// most once, a bare number meaning seconds, no fractions, no spaces.
// Millisecond-resolution directives reject M and y; second-resolution ones
// reject ms.
func ParseTime(s string, res Resolution) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("empty time")
	}
	var total time.Duration
	last := -1
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			if s[i] == '.' || s[i] == ',' {
				return 0, fmt.Errorf("nginx times take no fractions; write %q in a smaller unit", s)
			}
			return 0, fmt.Errorf("%q is not an nginx time", s)
		}
		n, err := strconv.ParseInt(s[i:j], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is too large", s)
		}
		if j < len(s) && (s[j] == '.' || s[j] == ',') {
			return 0, fmt.Errorf("nginx times take no fractions; write %q in a smaller unit (1.5s is 1500ms)", s)
		}
		unit := ""
		d := time.Second
		for _, u := range timeUnits {
			if len(s)-j >= len(u.unit) && s[j:j+len(u.unit)] == u.unit {
				unit, d = u.unit, u.d
				break
			}
		}
		if unit == "" && j < len(s) {
			return 0, fmt.Errorf("%q has an unknown time unit %q (nginx takes ms, s, m, h, d, w, M, y)", s, s[j:j+1])
		}
		if unit == "" {
			unit = "s"
		}
		switch {
		case res == Millis && (unit == "M" || unit == "y"):
			return 0, fmt.Errorf("%q uses %q, which this directive does not accept (it counts milliseconds; use d or w)", s, unit)
		case res == Seconds && unit == "ms":
			return 0, fmt.Errorf("%q uses ms, which this directive does not accept (it counts whole seconds)", s)
		}
		if unitRank[unit] <= last {
			return 0, fmt.Errorf("%q lists its units out of order or twice (write the largest unit first, e.g. 1h30m)", s)
		}
		last = unitRank[unit]
		if n > int64(math.MaxInt64/d) || total > math.MaxInt64-time.Duration(n)*d {
			return 0, fmt.Errorf("%q is too large", s)
		}
		total += time.Duration(n) * d
		i = j + len(unit)
		if j == len(s) {
			break
		}
	}
	return total, nil
}

// SizeKind says which size syntax a directive takes: ngx_parse_size (k, m)
// or ngx_parse_offset (k, m, g).
type SizeKind uint8

const (
	Size SizeKind = iota
	Offset
)

// ParseSize reads an nginx size ("8k", "1m", "10485760"; "1g" only for
// offset-type directives such as client_max_body_size). Units are powers of
// 1024, upper- or lower-case; no fractions.
func ParseSize(s string, kind SizeKind) (int64, error) {
	if s == "" {
		return 0, errors.New("empty size")
	}
	num, mult := s, int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		num, mult = s[:len(s)-1], 1<<10
	case 'm', 'M':
		num, mult = s[:len(s)-1], 1<<20
	case 'g', 'G':
		if kind != Offset {
			return 0, fmt.Errorf("%q: this directive does not take the g unit; write it in m (1g is 1024m)", s)
		}
		num, mult = s[:len(s)-1], 1<<30
	}
	for _, c := range num {
		if c == '.' || c == ',' {
			return 0, fmt.Errorf("nginx sizes take no fractions; write %q in a smaller unit", s)
		}
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not an nginx size (a whole number with an optional k, m or g)", s)
		}
	}
	if num == "" {
		return 0, fmt.Errorf("%q is not an nginx size", s)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n * mult, nil
}

// ParseNumber reads a plain non-negative integer argument.
func ParseNumber(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return n, nil
}
