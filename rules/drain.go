package rules

import (
	"fmt"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// reportDrainOrder reports a grace period at or below the deregistration
// delay of a load balancer that sends to the container
// (docs/facts/kubernetes.md, "Drain ordering"): the kubelet kills the pod while the load balancer
// still lets in-flight requests run, so a request still running when the
// grace period ends is cut.
func reportDrainOrder(p *Pass, from []*topology.Hop, cw string, grace int, graceWords string, graceRange parsers.Range, at parsers.Range) {
	for _, s := range from {
		delay, ok := topology.DeregistrationDelay(s)
		if !ok || delay.Value < time.Duration(grace)*time.Second {
			continue
		}
		secs := int(delay.Value / time.Second)
		related := settingRelated(delay, fmt.Sprintf("%s keeps deregistering targets %ds for in-flight requests here", s.Name, secs))
		if !graceRange.IsZero() {
			related = append(related, relatedAt(graceRange, "the grace period is set here"))
		}
		// An ALB answers the cut request 502; an NLB passes the reset on.
		cut := "a reset"
		if code := closedAnswer(s); code != "" {
			cut += " or " + code
		}
		p.Report(Finding{
			Range:   at,
			Related: related,
			Message: fmt.Sprintf("%s is killed after %s, but %s waits up to %ds (%s) for requests still in flight to a deregistering target: a request still running when the grace period ends is cut with %s, though the load balancer would have let it finish. Raise terminationGracePeriodSeconds above %d (plus the preStop wait), or lower %s below %d.",
				cw, graceWords, s.Name, secs, delay.Name, cut, secs, delay.Name, grace),
		})
	}
}
