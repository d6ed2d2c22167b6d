package topology

import (
	"strconv"
	"time"

	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/terraform"
)

// DeregistrationDelay returns how long the load balancer behind hop h
// keeps a deregistering target for in-flight requests, when the linted
// files write it (docs/facts/kubernetes.md, "Drain ordering"): a Terraform target group's
// deregistration_delay, or the AWS Load Balancer Controller's
// deregistration_delay.timeout_seconds target-group attribute on an
// Ingress or on a LoadBalancer Service that makes an NLB. The AWS default (300 s) is not returned: it says nothing about
// how long requests take.
func DeregistrationDelay(h *Hop) (Duration, bool) {
	switch c := h.Config.(type) {
	case *terraform.TargetGroup:
		if n, ok := c.DeregistrationDelay.Int(); ok && n >= 0 {
			d := SetAt("deregistration_delay", time.Duration(n)*time.Second, c.DeregistrationDelay.Range)
			d.Via = c.DeregistrationDelay.Via
			return d, true
		}
	case *kubernetes.Ingress:
		if h.Kind == KindIngressALB {
			return delayAttribute(c.Annotations.Get(albAnnotationPrefix + "target-group-attributes"))
		}
	case *kubernetes.Service:
		// An NLB the controller makes for a LoadBalancer Service takes
		// the same attribute from the Service's annotation.
		if h.Kind == KindNLB {
			return delayAttribute(c.Annotations.Get(awsServicePrefix + "target-group-attributes"))
		}
	}
	return Duration{}, false
}

// delayAttribute reads deregistration_delay.timeout_seconds from a
// target-group-attributes annotation ("k=v,k=v").
func delayAttribute(a kubernetes.Str) (Duration, bool) {
	const attr = "deregistration_delay.timeout_seconds"
	if !a.Set {
		return Duration{}, false
	}
	if v, has := attributes(a.Value)[attr]; has {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 3600 {
			return SetAt(attr, time.Duration(n)*time.Second, a.Range), true
		}
	}
	return Duration{}, false
}
