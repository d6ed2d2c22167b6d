package rules

import (
	"fmt"

	"github.com/hoplint/hoplint/topology"
)

var keepaliveOrder = &Rule{
	ID:       "keepalive-order",
	Title:    "a hop keeps pooled connections open longer than the hop behind it does",
	Severity: Error,
	Doc: `When a proxy or load balancer pools connections to the hop behind it, it
must drop an idle connection before the backend does. Otherwise the backend
closes the connection just as the proxy sends the next request on it: the
proxy reads a reset ("connection reset by peer", "upstream prematurely closed
connection") and the client gets a 502 (a 503 from Envoy: Envoy Gateway,
Istio). It happens under light load, at
random, and never shows in tests.

AWS states it for its load balancers: "configure the idle timeout of your
application to be larger than the idle timeout configured for the load
balancer". The same holds for CloudFront's origin keep-alive, nginx and
ingress-nginx upstream pools (` + "`keepalive_timeout`" + ` in an upstream block,
` + "`upstream-keepalive-timeout`" + `), and Apache ProxyPass pools (` + "`ttl`" + `, none = until the
backend closes). Equal values are a violation: both timers race.

hoplint compares the pool idle timeout of the client-side hop with the
keep-alive timeout of the server-side hop on every edge it found, and reports
at the server's setting, with the pool's setting as related. Raise the
server's keep-alive timeout above the pool's idle timeout (the usual fix), or
lower the pool's.

The values in the advice come from one plan for the whole path (` + "`hoplint plan`" + `):
raising a keep-alive or lowering a pool can break another ordering on the
path (an ALB's idle_timeout is also how long it waits for a response), so
every finding on a path asks for values that satisfy all of them at once,
within each product's limits.

An nginx upstream pool that no location can use (before nginx 1.29.7
without ` + "`proxy_http_version 1.1`" + `, or with ` + "`Connection: close`" + `) is not
reported here: it stays empty, and upstream-keepalive-ineffective says how to
make it work. Once it does, this rule compares its timeout. Nor are Classic
ELB TCP and SSL listeners: they carry each client connection to the backend
on a connection of its own, with no idle pool.`,
	Run: runKeepaliveOrder,
}

func init() { Register(keepaliveOrder) }

// poolWords renders a pool idle timeout: "120s (idle_timeout)", "until the
// backend closes them (no ttl)".
func poolWords(s topology.Duration) string {
	if s.Value == topology.Forever {
		return fmt.Sprintf("until the backend closes them (%s not set)", s.Name)
	}
	return valueWords(s, topology.FormatDuration)
}

func runKeepaliveOrder(p *Pass) {
	for _, e := range p.Graph.Edges {
		if e.Within || e.Passthrough {
			// A TCP/SSL Classic ELB listener holds no idle pool to race.
			continue
		}
		a, b := e.From, e.To
		pool, ka := a.PoolIdle, b.KeepAlive
		if !pool.Known() || !ka.Known() || ka.Value == 0 {
			// Unknown on either side: no finding. Keep-alive off: nothing is
			// reused, keepalive-disabled speaks about that.
			continue
		}
		if pool.Value < ka.Value {
			continue
		}
		if a.Kind == topology.KindNginxUpstream && poolNeverReused(p, a) {
			// No location can reuse the pool (upstream-keepalive-ineffective
			// says why), so no idle connection waits to be reused.
			continue
		}
		fix := fmt.Sprintf("Raise %s above %s or lower %s below %s.",
			ka.Name, topology.FormatDuration(pool.Value), pool.Name, topology.FormatDuration(ka.Value))
		if pool.Value == topology.Forever {
			fix = fmt.Sprintf("Give %s a limit below %s.", pool.Name, topology.FormatDuration(ka.Value))
		}
		// The values come from one plan for the whole path, so this
		// advice never contradicts another finding's.
		pp := PlanFor(p.Graph)
		fix = pp.advice(pp.cons[consKey{"keepalive-order", e, nil}], fix)
		clash := "closes them after " + valueWords(ka, topology.FormatDuration)
		if pool.Value == ka.Value {
			clash = "closes them after the same " + valueWords(ka, topology.FormatDuration) + ", and the two timers race"
		}
		// What the client gets depends on the product that reuses the
		// connection: Envoy answers 503, nginx and the AWS load balancers 502.
		answer := "fail those requests"
		if code := closedAnswer(a); code != "" {
			answer = "answer " + code
		}
		msg := fmt.Sprintf("%s keeps idle connections %s, but %s %s: %s will reuse connections %s has already closed and %s. %s%s%s",
			hopFile(a), poolWords(pool), hopFile(b), clash,
			shortName(a), shortName(b), answer, fix, linkWords(e), assumptions(append(append(append([]string(nil), a.Notes...), b.Notes...), pool.Note, ka.Note)...))
		related := settingRelated(pool, fmt.Sprintf("%s %s is %s here", a.Name, pool.Name, topology.FormatDuration(pool.Value)))
		// Where the server's value came from (a variable default, a tfvars
		// line, a module input), since the finding sits on the attribute.
		related = append(related, ka.Via...)
		if !e.Range.IsZero() {
			related = append(related, relatedAt(e.Range, "the link: "+e.Why))
		}
		p.Report(Finding{Range: ka.Range, Related: related, Message: msg})
	}
}
