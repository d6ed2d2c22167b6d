package main

import (
	"strings"
	"testing"
)

// TestStepSummaryBudget: hop names come from config values, and the step
// summary's Mermaid picture used to print them whole, so three servers
// named with a megabyte each made a 7 MiB summary, which GitHub drops
// whole (and the one table row, quoting the name, took the table's whole
// budget). Every part is budgeted now: the summary stays under 1 MiB with
// every finding in the table and the picture drawn (issue 25 item 12).
func TestStepSummaryBudget(t *testing.T) {
	name := strings.Repeat("a", 1200<<10)
	var conf strings.Builder
	conf.WriteString("events {}\nhttp {\n")
	for _, i := range []string{"0", "1", "2"} {
		conf.WriteString("  server {\n    listen 8" + i + ";\n    server_name " + name + i + ";\n    client_max_body_size 0;\n" +
			"    location / { proxy_pass http://127.0.0.1:900" + i + "; proxy_read_timeout 5s; }\n  }\n")
	}
	conf.WriteString("}\n")
	dir := writeTree(t, map[string]string{"nginx.conf": conf.String()})
	_, out, errs := runIn(t, dir, "--format", "markdown", "--fail-on", "never")
	if len(out) > 1<<20 {
		t.Fatalf("step summary is %d bytes, over GitHub's 1 MiB\n%s", len(out), errs)
	}
	if n := strings.Count(out, "| 🔵 info | [unbounded-body-size]"); n != 3 {
		t.Errorf("%d rows of unbounded-body-size in the table, want 3:\n%.3000s", n, out)
	}
	if !strings.Contains(out, "```mermaid\nflowchart LR\n") || !strings.Contains(out, "more characters)") {
		t.Errorf("the picture is missing or its names are not cut:\n%.3000s", out)
	}
}
