package terraform

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
)

// Validate reports the values AWS rejects (docs/facts/aws.md): the
// apply would fail on them. Values that are unknown or left to the
// provider's default are never reported.
func (r *Result) Validate() []parsers.Problem {
	var out []parsers.Problem
	bad := func(v Value, msg string, args ...any) {
		out = append(out, parsers.Problem{Kind: parsers.ProblemInvalid, Range: v.Range, Message: fmt.Sprintf(msg, args...), Related: v.Via})
	}
	outside := func(v Value, lo, hi int64) (int64, bool) {
		n, ok := v.Int()
		return n, ok && (n < lo || n > hi)
	}
	for _, lb := range r.LoadBalancers {
		if lb.LBType() != "application" {
			continue
		}
		if n, ok := outside(lb.IdleTimeout, 1, 4000); ok {
			bad(lb.IdleTimeout, "idle_timeout %d on %s is outside the 1–4000 seconds AWS accepts for an application load balancer: the apply fails. Choose a value in that range.", n, lb.Address())
		}
		if n, ok := outside(lb.ClientKeepAlive, 60, 604800); ok {
			bad(lb.ClientKeepAlive, "client_keep_alive %d on %s is outside the 60–604800 seconds AWS accepts: the apply fails. Choose a value in that range (the AWS default is 3600).", n, lb.Address())
		}
	}
	for _, tg := range r.TargetGroups {
		if n, ok := outside(tg.DeregistrationDelay, 0, 3600); ok {
			bad(tg.DeregistrationDelay, "deregistration_delay %d on %s is outside the 0–3600 seconds AWS accepts: the apply fails. Choose a value in that range (the AWS default is 300).", n, tg.Address())
		}
	}
	for _, l := range r.Listeners {
		if n, ok := outside(l.TCPIdleTimeoutSeconds, 60, 6000); ok {
			bad(l.TCPIdleTimeoutSeconds, "tcp_idle_timeout_seconds %d on %s is outside the 60–6000 seconds AWS accepts: the apply fails. Choose a value in that range (the AWS default is 350).", n, l.Address())
		}
	}
	for _, d := range r.Distributions {
		for _, o := range d.Origins {
			for _, v := range []struct {
				name string
				val  Value
			}{{"origin_keepalive_timeout", o.OriginKeepaliveTimeout}, {"origin_read_timeout", o.OriginReadTimeout}} {
				n, ok := v.val.Int()
				if !ok {
					continue
				}
				where := originWords(o)
				switch {
				case n < 1:
					bad(v.val, "%s %d on %s is below 1 second, which CloudFront rejects: the apply fails.", v.name, n, where)
				case n > 180:
					bad(v.val, "%s %d on %s is above 180 seconds, the most CloudFront allows even with a service-quota increase: the apply fails.", v.name, n, where)
				case n > 60:
					bad(v.val, "%s %d on %s is above the 60 seconds CloudFront accepts by default: the apply fails unless the account's service quota for this timeout was raised (up to 180 s). If it was, suppress this finding and say so in the reason.", v.name, n, where)
				}
			}
		}
	}
	return out
}

func originWords(o *Origin) string {
	if id := o.ID(); id != "" {
		return fmt.Sprintf("origin %q of %s", id, o.Distribution.Address())
	}
	return "an origin of " + o.Distribution.Address()
}
