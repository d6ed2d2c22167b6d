package nginx

import (
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		res  Resolution
		want time.Duration
		err  string
	}{
		{"75", Millis, 75 * time.Second, ""},
		{"75s", Millis, 75 * time.Second, ""},
		{"500ms", Millis, 500 * time.Millisecond, ""},
		{"1h30m", Millis, 90 * time.Minute, ""},
		{"1d2h3m4s5ms", Millis, 26*time.Hour + 3*time.Minute + 4*time.Second + 5*time.Millisecond, ""},
		{"2w", Millis, 14 * 24 * time.Hour, ""},
		{"0", Millis, 0, ""},
		{"1M", Seconds, 30 * 24 * time.Hour, ""},
		{"1y", Seconds, 365 * 24 * time.Hour, ""},
		{"1.5s", Millis, 0, "no fractions"},
		{"1,5s", Millis, 0, "no fractions"},
		{"30m1h", Millis, 0, "out of order"},
		{"1s1s", Millis, 0, "out of order"},
		{"1y", Millis, 0, "counts milliseconds"},
		{"1M", Millis, 0, "counts milliseconds"},
		{"500ms", Seconds, 0, "whole seconds"},
		{"10x", Millis, 0, "unknown time unit"},
		{"s", Millis, 0, "not an nginx time"},
		{"", Millis, 0, "empty"},
		{"-5s", Millis, 0, "not an nginx time"},
		{"99999999999999999999", Millis, 0, "too large"},
		{"9999999999999y", Seconds, 0, "too large"},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in, c.res)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseTime(%q) error = %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	cases := []struct {
		in   string
		kind SizeKind
		want int64
		err  string
	}{
		{"1024", Size, 1024, ""},
		{"8k", Size, 8 << 10, ""},
		{"8K", Size, 8 << 10, ""},
		{"1m", Size, 1 << 20, ""},
		{"250M", Offset, 250 << 20, ""},
		{"1g", Offset, 1 << 30, ""},
		{"1G", Offset, 1 << 30, ""},
		{"0", Offset, 0, ""},
		{"1g", Size, 0, "does not take the g unit"},
		{"1.5m", Offset, 0, "no fractions"},
		{"m", Offset, 0, "not an nginx size"},
		{"10mb", Offset, 0, "not an nginx size"},
		{"", Offset, 0, "empty"},
		{"99999999999999999g", Offset, 0, "too large"},
	}
	for _, c := range cases {
		got, err := ParseSize(c.in, c.kind)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSize(%q) error = %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
