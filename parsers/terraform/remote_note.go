package terraform

import (
	"fmt"
	"path"
	"strings"
)

// A module from the registry or a git repository that hoplint does not
// model (it fetches nothing, and models only the terraform-aws-modules
// ALB, ELB, CloudFront and ECS modules from their inputs) is unknown: what
// it creates is not linted. Most such modules (a VPC, IAM roles) create
// nothing on a request path and a note for each would only be noise; one
// whose name says it is about a load balancer, a CDN or ECS
// (cloudposse/ecs-alb-service-task/aws, git::…/terraform-aws-alb.git)
// gets a note, which says only what the name tells, so that a repository whose whole path comes from such
// modules does not get an empty report with nothing said.

// pathTokens are the words of a module's name that say it makes a hop.
var pathTokens = map[string]bool{"alb": true, "elb": true, "nlb": true, "lb": true, "cloudfront": true, "ecs": true}

// remotePathModule reports whether src is a remote module whose name says
// it creates a load balancer, CloudFront or ECS, and gives that name.
func remotePathModule(src string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(src))
	if s == "" || localSource(s) {
		return "", false
	}
	if i := strings.Index(s, "?"); i >= 0 {
		s = s[:i]
	}
	// A subdirectory (ADDRESS//modules/alb) is the module: its name.
	sub := ""
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	if i := strings.Index(s[start:], "//"); i >= 0 {
		s, sub = s[:start+i], strings.Trim(s[start+i+2:], "/")
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	parts := strings.Split(s, "/")
	name := path.Base(s)
	switch {
	case sub != "":
		name = path.Base(sub)
	case len(parts) >= 3 && !strings.Contains(s, "://") && !strings.HasPrefix(s, "git") && !strings.HasPrefix(s, "github.com"):
		// A registry address is NAMESPACE/NAME/PROVIDER (with an
		// optional host in front): the name is the one before the
		// provider.
		name = parts[len(parts)-2]
	}
	hop := false
	for _, tok := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if offPath[tok] {
			return "", false // alarms or autoscaling for an ECS service, not the service
		}
		hop = hop || pathTokens[tok]
	}
	if hop {
		return name, true
	}
	return "", false
}

// offPath are words that say a module is about something beside the path
// (ecs-service-autoscaling, alb-target-group-cloudwatch-sns-alarms,
// ecs-codepipeline, ecs-cluster): it creates no hop, so it gets no note.
var offPath = map[string]bool{
	"autoscaling": true, "alarm": true, "alarms": true, "cloudwatch": true, "sns": true,
	"codepipeline": true, "codebuild": true, "codedeploy": true, "ecr": true, "iam": true,
	"log": true, "logs": true, "logging": true, "monitoring": true, "dashboard": true, "cluster": true,
}

func remoteModuleNote(name, src string) string {
	return fmt.Sprintf("module %q: source %q is a module hoplint does not fetch (it reads modules inside the linted tree, and models only the terraform-aws-modules ALB, ELB, CloudFront and ECS modules from their inputs). Its name says it is about load balancers, CloudFront or ECS, so it may create them or define their containers; whatever it creates or outputs is unknown to hoplint and not linted. To lint it, vendor the module into the repository and point source at that directory", name, src)
}
