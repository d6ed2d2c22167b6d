package rules

import "github.com/hoplint/hoplint/parsers"

var skippedFile = &Rule{
	ID:       "skipped-file",
	Title:    "a recognised file that hoplint does not lint, and why",
	Severity: Info,
	Doc: `Some files look like configuration hoplint reads but cannot be linted as they
stand: a Helm chart template (` + "`{{ … }}`" + `) outside any chart is not YAML until
Helm renders it. hoplint says so once per file instead of reporting parse
errors, so that you know the file was not checked.

nginx templates are linted on what is literal: Jinja/Liquid (` + "`{% if %}`" + `,
` + "`{{ var }}`" + `), ERB (` + "`<%= %>`" + `), Go templates, Mustache, envsubst
(` + "`${NGINX_PORT}`" + `), Kong's Penlight (` + "`${{VAR}}`" + `, ` + "`> if …`" + `) and sed-style
` + "`{PLACEHOLDER}`" + ` markup is set aside in place, a placeholder is an unknown
value, and a value set inside a conditional is unknown. Only when what is
left is still not nginx (branches that open different numbers of blocks)
is the file skipped here, with the engine named.

Templates inside a chart (a directory with ` + "`Chart.yaml`" + `) are not skipped: hoplint
renders the chart with its values.yaml (and the values files named for it
under ` + "`charts:`" + ` in .hoplint.yml) and lints what it deploys. YAML whose string
values merely contain ` + "`{{ }}`" + ` (Prometheus alerts, Argo Workflows) parses and is
linted as it is. For a template that is not in a chart, lint the chart
directory, or the rendered output:

    helm template my-release ./chart > rendered.yaml && hoplint rendered.yaml

A file named on the command line that hoplint does not recognise as any of
its formats (a haproxy.cfg, a README) is reported here too, once, rather
than guessed at.`,
	Run: func(p *Pass) { reportProblems(p, parsers.ProblemSkipped) },
}

func init() { Register(skippedFile) }
