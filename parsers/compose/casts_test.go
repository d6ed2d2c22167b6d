package compose_test

import (
	"testing"
)

// TestCastsFollowExtendsAndInclude: hoplint gives compose-go only the type
// casts whose keys occur in the project's files, so the keys of files that
// extends: and include: bring in must add theirs. Here no key those casts
// need is in the main files: every cast below is needed by an extended or
// included file only, and without it compose-go refuses the string (the
// project would not load) or the value would be lost.
func TestCastsFollowExtendsAndInclude(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yaml": "include:\n  - inc/compose.yaml\nservices:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n",
		// Strings where compose wants numbers: compose-go casts them.
		"app/base.yaml": "services:\n  base:\n    image: nginx\n    cpus: \"${WEB_CPUS}\"\n    ports:\n      - target: \"${WEB_PORT}\"\n        published: \"8080\"\n",
		"app/.env":      "WEB_CPUS=0.5\nWEB_PORT=80\nAPI_PORT=9000\n",
		// An included file extending a file of its own.
		"app/inc/compose.yaml":  "services:\n  api:\n    extends:\n      file: api-base.yaml\n      service: api\n",
		"app/inc/api-base.yaml": "services:\n  api:\n    image: api\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      retries: \"3\"\n    deploy:\n      replicas: \"2\"\n      resources:\n        limits:\n          cpus: \"1.5\"\n    expose: [\"9000\"]\n    ports:\n      - target: \"9000\"\n",
	})
	if !p.Loaded {
		t.Fatalf("project not loaded:\n%s", problems(p))
	}
	web := p.Service("web")
	if web == nil {
		t.Fatal("no service web")
	}
	if web.CPUs.CPUs != 0.5 {
		t.Errorf("web cpus = %v, want 0.5 (cast from the extended file)", web.CPUs.CPUs)
	}
	if len(web.Ports) != 1 || web.Ports[0].Target != 80 || web.Ports[0].Published != "8080" {
		t.Errorf("web ports = %+v, want target 80 published 8080", web.Ports)
	}
	api := p.Service("api")
	if api == nil {
		t.Fatal("no service api (from the included file)")
	}
	if len(api.Ports) != 1 || api.Ports[0].Target != 9000 {
		t.Errorf("api ports = %+v, want target 9000", api.Ports)
	}
}
