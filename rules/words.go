package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// Helpers that word messages the same way in every rule: a value, then where
// it comes from; "default" with the product and version when it is one.

// valueWords renders a setting with its name and source, for messages:
// "120s (idle_timeout)", "75s (keepalive_timeout not set: the nginx
// default)", "1m (client_max_body_size not set: the nginx default before
// 1.29.7)".
func valueWords[T any](s topology.Setting[T], render func(T) string) string {
	v := render(s.Value)
	if s.Prov != topology.Default || s.Default == nil {
		return fmt.Sprintf("%s (%s)", v, s.Name)
	}
	d := "the " + s.Default.Product + " default"
	if ver := s.Default.Version; ver != "" && ver != "all versions" {
		d += " for " + ver
	}
	return fmt.Sprintf("%s (%s not set: %s)", v, s.Name, d)
}

// hopFile is a hop's name with its file, as messages introduce hops.
func hopFile(h *topology.Hop) string { return h.NameAndFile() }

// shortName is how a message refers to a hop the second time.
func shortName(h *topology.Hop) string {
	switch h.Kind {
	case topology.KindALB, topology.KindIngressALB:
		return "the ALB"
	case topology.KindTargetGroup:
		return "the load balancer"
	case topology.KindCLB:
		return "the ELB"
	case topology.KindNLB:
		return "the NLB"
	case topology.KindCloudFrontOrigin:
		return "CloudFront"
	case topology.KindNginxServer, topology.KindNginxLocation, topology.KindNginxUpstream:
		return "nginx"
	case topology.KindApacheVHost, topology.KindApacheBackend:
		return "Apache"
	case topology.KindIngressNginx:
		return "ingress-nginx"
	case topology.KindIngressNginxInc:
		return "the NGINX Ingress Controller"
	case topology.KindService:
		return "the Service"
	case topology.KindGateway, topology.KindGatewayRoute:
		if r, ok := h.Config.(*topology.GatewayRoute); ok && r.Impl != "" {
			return r.Impl
		}
		return "the gateway"
	case topology.KindIngress:
		return "the ingress controller"
	case topology.KindTraefikRoute:
		return "Traefik"
	case topology.KindNginxProxy:
		return "nginx-proxy"
	}
	return "the app server"
}

// settingRelated returns the related locations that explain a setting: the
// place it is written (or the object relying on its default) and every
// place it passed through (a Terraform variable default, a tfvars line).
func settingRelated[T any](s topology.Setting[T], msg string) []parsers.Related {
	var out []parsers.Related
	if !s.Range.IsZero() {
		out = append(out, parsers.Related{Range: s.Range, Message: msg})
	}
	return append(out, s.Via...)
}

// assumptions joins the notes a finding must repeat, as a trailing sentence.
func assumptions(notes ...string) string {
	var kept []string
	seen := map[string]bool{}
	for _, n := range notes {
		n = strings.TrimSpace(n)
		if n != "" && !seen[n] {
			seen[n] = true
			kept = append(kept, strings.TrimSuffix(n, "."))
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return " (" + strings.Join(kept, "; ") + ")"
}

// linkWords explains an edge that was inferred rather than written down, so
// that a user can check the link before trusting the finding.
func linkWords(e *topology.Edge) string {
	switch e.Confidence {
	case topology.Declared:
		return " Linked as " + e.Why + "."
	case topology.Assumed:
		return " hoplint assumed this link: " + e.Why + "; declare the stack in .hoplint.yml or set link: strict if it is wrong."
	case topology.Address:
		return " Linked by address: " + e.Why + "."
	}
	return ""
}

func relatedAt(r parsers.Range, msg string) parsers.Related {
	return parsers.Related{Range: r, Message: msg}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fileNamesOnce drops the " (FILE)" that names a hop's file where the
// reader already has it: the finding's own file, printed before the
// message, and any file the message has already named once. Messages are
// built from hop names, and a hop in the same file as the finding would
// otherwise read "httpd.conf:2:1: Apache main server (httpd.conf) …".
func fileNamesOnce(msg, primary string, isFile func(string) bool) string {
	// Most messages lose nothing: the builder (and the copy of the
	// message) is made at the first name dropped, not for every finding.
	var seen map[string]bool
	var b *strings.Builder
	done := 0 // msg[:done] is written to b, when there is one
	for from := 0; ; {
		i := strings.Index(msg[from:], " (")
		if i < 0 {
			break
		}
		i += from
		j := strings.IndexByte(msg[i+2:], ')')
		if j < 0 {
			break
		}
		inner, end := msg[i+2:i+2+j], i+2+j+1
		if isFile(inner) && (inner == primary || seen[inner]) {
			if b == nil {
				b = &strings.Builder{}
				b.Grow(len(msg))
			}
			b.WriteString(msg[done:i])
			done = end
		} else if isFile(inner) {
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[inner] = true
		}
		from = end
	}
	if b == nil {
		return msg
	}
	b.WriteString(msg[done:])
	return b.String()
}
