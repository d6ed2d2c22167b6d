// Package terraform reads Terraform configuration the way Terraform would
// for the values hoplint needs: each directory of .tf and .tf.json files is
// one module; variables take their values from defaults, tfvars files and
// module inputs; locals, conditionals, the common functions and legacy
// "${…}" interpolation are evaluated with github.com/hashicorp/hcl/v2 and
// go-cty. Anything that needs a provider, a data source or apply-time
// knowledge stays unknown: hoplint never guesses.
//
// The package then extracts the AWS objects that carry HTTP on the request
// path (load balancers, listeners, target groups, Classic ELBs, CloudFront
// origins), understands the registry modules terraform-aws-modules/alb,
// elb and cloudfront by their documented inputs, and reports values AWS
// rejects.
package terraform

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/hoplint/hoplint/parsers"
)

// File is one parsed Terraform file.
type File struct {
	File *parsers.File
	// Body is nil when the file could not be parsed at all.
	Body     hcl.Body
	JSON     bool
	Comments []parsers.Comment
	Problems []parsers.Problem
}

// Kind says what role a file plays in its module directory.
type Kind uint8

// File kinds.
const (
	KindConfig   Kind = iota + 1 // .tf, .tf.json
	KindAutoVars                 // terraform.tfvars(.json), *.auto.tfvars(.json): loaded automatically
	KindVars                     // any other .tfvars: only when named as a var file
)

// KindOf classifies a file by name.
func KindOf(name string) Kind {
	base := strings.ToLower(name)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	switch {
	case strings.HasSuffix(base, ".tf"), strings.HasSuffix(base, ".tf.json"):
		return KindConfig
	case base == "terraform.tfvars", base == "terraform.tfvars.json",
		strings.HasSuffix(base, ".auto.tfvars"), strings.HasSuffix(base, ".auto.tfvars.json"):
		return KindAutoVars
	case strings.HasSuffix(base, ".tfvars"), strings.HasSuffix(base, ".tfvars.json"):
		return KindVars
	}
	return 0
}

// Parse reads one file. It never fails: syntax errors become problems with
// the position HCL reports, and whatever HCL could recover is kept.
func Parse(f *parsers.File) *File {
	out := &File{File: f, JSON: strings.HasSuffix(strings.ToLower(f.Path), ".json")}
	var (
		hf    *hcl.File
		diags hcl.Diagnostics
	)
	if p := tooDeep(f, out.JSON); p != nil {
		out.Problems = append(out.Problems, *p)
		return out
	}
	start := hcl.Pos{Line: 1, Column: 1, Byte: 0}
	if out.JSON {
		hf, diags = hcljson.ParseWithStartPos(f.Bytes(), f.Path, start)
	} else {
		hf, diags = hclsyntax.ParseConfig(f.Bytes(), f.Path, start)
		// The parser drops comments and lexing the file again to find
		// them cost a quarter of a run; only a file that holds a
		// directive has comments worth finding.
		if bytes.Contains(f.Bytes(), directiveMarker) {
			out.Comments = comments(f)
		}
	}
	out.Problems = append(out.Problems, diagProblems(f, diags, parsers.ProblemParse)...)
	if hf != nil && hf.Body != nil {
		out.Body = hf.Body
		instrument(out.Body)
	}
	return out
}

var directiveMarker = []byte(parsers.DirectiveMarker)

// comments returns every comment token, for suppressions. The lexer, not a
// regular expression, decides what a comment is, so a "#" inside a string
// is never one.
func comments(f *parsers.File) []parsers.Comment {
	toks, _ := hclsyntax.LexConfig(f.Bytes(), f.Path, hcl.Pos{Line: 1, Column: 1})
	var out []parsers.Comment
	for _, t := range toks {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		text := string(t.Bytes)
		switch {
		case strings.HasPrefix(text, "#"):
			text = text[1:]
		case strings.HasPrefix(text, "//"):
			text = text[2:]
		case strings.HasPrefix(text, "/*"):
			text = strings.TrimSuffix(text[2:], "*/")
		}
		p := f.PosAt(t.Range.Start.Byte)
		out = append(out, parsers.Comment{Line: p.Line, Col: p.Col, Text: strings.TrimRight(text, "\r\n")})
	}
	return out
}

// diagProblems turns HCL error diagnostics into problems of kind k.
func diagProblems(f *parsers.File, diags hcl.Diagnostics, k parsers.ProblemKind) []parsers.Problem {
	var out []parsers.Problem
	seen := map[string]bool{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		r := parsers.Range{File: f.Path}
		if d.Subject != nil {
			r = rangeOf(f, *d.Subject)
		}
		msg := strings.TrimSuffix(d.Summary, ".")
		if d.Detail != "" {
			msg += ": " + lowerFirst(strings.TrimSuffix(d.Detail, "."))
		}
		key := r.String() + msg
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, parsers.Problem{Kind: k, Range: r, Message: "Terraform syntax: " + lowerFirst(msg)})
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	// Keep acronyms and identifiers ("HCL", "JSON") as they are.
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// rangeOf converts an HCL range into a hoplint range in f, honouring f's
// shift when the configuration is embedded in another file.
func rangeOf(f *parsers.File, r hcl.Range) parsers.Range {
	start := parsers.Pos{Line: r.Start.Line, Col: r.Start.Column}
	end := parsers.Pos{Line: r.End.Line, Col: r.End.Column}
	if start.Line < 1 {
		start.Line = 1
	}
	if start.Col < 1 {
		start.Col = 1
	}
	if end.Line < start.Line {
		end = start
	}
	return f.At(start.Line, start.Col, end.Line, end.Col)
}
