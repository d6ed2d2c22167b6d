package rules

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/terraform"
)

var ignoredLBAttribute = &Rule{
	ID:       "ignored-lb-attribute",
	Title:    "a load balancer setting that AWS silently ignores",
	Severity: Warning,
	Doc: `Some load balancer arguments are accepted by Terraform and the AWS API but
have no effect for the kind of load balancer or listener they are written
on. The configuration then reads as if a timeout were tuned while AWS runs
with its default:

- ` + "`idle_timeout`" + ` on an ` + "`aws_lb`" + ` of type ` + "`network`" + ` (or ` + "`gateway`" + `): the argument is valid only
  for application load balancers. A network load balancer's TCP idle
  timeout (350 seconds by default) is set per listener, with
  ` + "`tcp_idle_timeout_seconds`" + ` on a TCP listener.
- ` + "`tcp_idle_timeout_seconds`" + ` on a ` + "`TCP_UDP`" + ` listener: AWS applies it only to ` + "`TCP`" + `
  listeners; a TCP_UDP listener keeps the default.

Remove the argument, or move the setting to where it takes effect.`,
	Examples: []Example{
		{Name: "idle_timeout on an NLB", Bad: true, Archive: `-- main.tf --
resource "aws_lb" "edge" {
  load_balancer_type = "network"
  idle_timeout       = 120
}
`},
		{Name: "tcp idle timeout on a TCP listener", Archive: `-- main.tf --
resource "aws_lb" "edge" {
  load_balancer_type = "network"
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn        = aws_lb.edge.arn
  port                     = 443
  protocol                 = "TCP"
  tcp_idle_timeout_seconds = 600
}
`},
	},
	Run: runIgnoredLBAttribute,
}

func init() { Register(ignoredLBAttribute) }

func runIgnoredLBAttribute(p *Pass) {
	// For Service annotations the Kubernetes loader finds the case (it
	// alone knows which load balancer an annotation set makes) and leaves
	// a problem.
	reportProblems(p, parsers.ProblemIgnoredAttribute)
	var lbs []*terraform.LoadBalancer
	var listeners []*terraform.Listener
	for _, c := range p.Graph.Configs[parsers.FormatTerraform] {
		switch c := c.(type) {
		case *terraform.LoadBalancer:
			lbs = append(lbs, c)
		case *terraform.Listener:
			listeners = append(listeners, c)
		}
	}
	for _, lb := range lbs {
		t := lb.LBType()
		if (t != "network" && t != "gateway") || !lb.IdleTimeout.Present() {
			continue
		}
		n, _ := lb.IdleTimeout.Str()
		p.Report(Finding{Range: lb.IdleTimeout.Range, Related: lb.IdleTimeout.Via, Message: fmt.Sprintf(
			"idle_timeout = %s on %s has no effect: AWS applies idle_timeout only to application load balancers, and this one is of type %q. For a network load balancer set tcp_idle_timeout_seconds on its TCP listeners instead, or remove idle_timeout.",
			n, lb.Address(), t)})
	}
	for _, l := range listeners {
		proto, ok := l.Protocol.Str()
		if !ok || proto != "TCP_UDP" || !l.TCPIdleTimeoutSeconds.Present() {
			continue
		}
		n, _ := l.TCPIdleTimeoutSeconds.Str()
		related := append([]parsers.Related{{Range: l.Protocol.Range, Message: "the listener's protocol is TCP_UDP here"}}, l.TCPIdleTimeoutSeconds.Via...)
		p.Report(Finding{Range: l.TCPIdleTimeoutSeconds.Range, Related: related, Message: fmt.Sprintf(
			"tcp_idle_timeout_seconds = %s on %s has no effect: AWS applies it only to TCP listeners, and this one is TCP_UDP, which keeps the default of 350 seconds. Remove it, or use a TCP listener if the idle timeout matters.",
			n, l.Address())})
	}
}
