module github.com/hoplint/hoplint

go 1.25.0

require (
	github.com/bmatcuk/doublestar/v4 v4.9.1
	golang.org/x/tools v0.39.0
	gopkg.in/yaml.v3 v3.0.1
)
