package nginx

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
)

// argKind says how nginx reads one argument of a directive.
type argKind uint8

const (
	argMsec argKind = iota + 1
	argSec
	argSize
	argOffset
	argNumber
)

// checked lists the directives whose values hoplint validates, with how
// nginx reads each argument (from the handlers in nginx's source:
// ngx_conf_set_msec_slot, _sec_slot, _size_slot, _off_slot, _num_slot).
// Only directives that rules rely on or that are easy to get wrong are
// listed: an unlisted directive is never reported.
var checked = map[string][]argKind{
	"keepalive_timeout":           {argMsec, argSec}, // in an upstream block both are msec; see argKinds
	"keepalive_time":              {argMsec},
	"keepalive_requests":          {argNumber},
	"client_body_timeout":         {argMsec},
	"client_header_timeout":       {argMsec},
	"send_timeout":                {argMsec},
	"lingering_time":              {argMsec},
	"lingering_timeout":           {argMsec},
	"resolver_timeout":            {argMsec},
	"proxy_connect_timeout":       {argMsec},
	"proxy_read_timeout":          {argMsec},
	"proxy_send_timeout":          {argMsec},
	"proxy_next_upstream_timeout": {argMsec},
	"fastcgi_connect_timeout":     {argMsec},
	"fastcgi_read_timeout":        {argMsec},
	"fastcgi_send_timeout":        {argMsec},
	"uwsgi_connect_timeout":       {argMsec},
	"uwsgi_read_timeout":          {argMsec},
	"uwsgi_send_timeout":          {argMsec},
	"grpc_connect_timeout":        {argMsec},
	"grpc_read_timeout":           {argMsec},
	"grpc_send_timeout":           {argMsec},
	"client_max_body_size":        {argOffset},
	"client_body_buffer_size":     {argSize},
	"client_header_buffer_size":   {argSize},
	"proxy_buffer_size":           {argSize},
	"worker_connections":          {argNumber},
	"worker_rlimit_nofile":        {argNumber},
}

// argKinds returns how the arguments of d are read, taking the context
// into account: in an upstream block keepalive_timeout has one msec
// argument, and keepalive takes a connection count.
func argKinds(d *Directive, inUpstream bool) []argKind {
	if inUpstream {
		switch d.Name {
		case "keepalive_timeout", "keepalive_time":
			return []argKind{argMsec}
		case "keepalive", "keepalive_requests":
			return []argKind{argNumber}
		}
	}
	return checked[d.Name]
}

// Validate reports values nginx would reject at start-up (nginx -t fails
// with "invalid value" or "is invalid"), for the directives in checked.
// It runs once per file, so a file included twice is reported once.
func Validate(f *File) []parsers.Problem {
	var out []parsers.Problem
	var walk func(ds []*Directive, inUpstream bool)
	walk = func(ds []*Directive, inUpstream bool) {
		for _, d := range ds {
			if d.IsBlock {
				walk(d.Block, d.Name == "upstream")
				continue
			}
			for i, k := range argKinds(d, inUpstream) {
				if i >= len(d.Args) {
					break
				}
				if err := checkArg(d.Args[i], k); err != nil {
					out = append(out, parsers.Problem{
						Kind:    parsers.ProblemInvalid,
						Range:   d.ArgRange(i),
						Message: fmt.Sprintf("%s %s: %v; nginx refuses to start with it", d.Name, d.Args[i], err),
					})
				}
			}
		}
	}
	walk(f.Directives, false)
	return out
}

func checkArg(s string, k argKind) error {
	if len(s) > 0 && s[0] == '$' {
		return nil // a variable; nginx rejects it for these directives, but crossplane's argument check covers syntax
	}
	var err error
	switch k {
	case argMsec:
		_, err = ParseTime(s, Millis)
	case argSec:
		_, err = ParseTime(s, Seconds)
	case argSize:
		_, err = ParseSize(s, Size)
	case argOffset:
		_, err = ParseSize(s, Offset)
	case argNumber:
		_, err = ParseNumber(s)
	}
	return err
}
