package config

import (
	"strings"
	"testing"
)

func TestChartsValues(t *testing.T) {
	c, err := Parse([]byte("charts:\n  deploy/chart:\n    values: [values-prod.yaml, more/values.yaml]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.ChartValues()["deploy/chart"], ","); got != "values-prod.yaml,more/values.yaml" {
		t.Errorf("values %q", got)
	}
	for _, bad := range []string{
		"charts:\n  chart:\n    values: [../../etc/passwd]\n",
		"charts:\n  chart:\n    values: [/etc/passwd]\n",
		"charts:\n  chart:\n    values: [a/../../b.yaml]\n",
		"charts:\n  chart:\n    valuse: [x.yaml]\n",
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
