package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/hoplint/hoplint/parsers"
)

// maxNesting caps how deeply blocks, brackets, templates, conditionals and
// unary operators may nest in one file. HCL parses (and hoplint evaluates)
// each level by recursion, and Go cannot recover from a stack overflow:
// 100,000 nested parentheses would end the whole run. Real configurations
// nest a few dozen levels at most.
const maxNesting = 256

// tooDeep returns the problem that stops f from being parsed, or nil. It
// runs before HCL sees the file, with a scanner of its own that keeps no
// tokens (HCL's lexer would hold a token per byte or two: gigabytes for a
// hostile file); files with fewer opening bytes than the limit are not
// scanned at all.
func tooDeep(f *parsers.File, isJSON bool) *parsers.Problem {
	n := openers(f.Bytes())
	if !isJSON && n > maxPunctuation {
		return &parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
			Message: fmt.Sprintf("this file has more than %d brackets and operators; hoplint did not parse it, since HCL's parser holds every token and a file like this would cost gigabytes (no hand-written configuration is this large)", maxPunctuation)}
	}
	if n < maxNesting {
		return nil
	}
	var off int
	if isJSON {
		var many bool
		if off, many = jsonDepth(f.Bytes()); many {
			return &parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
				Message: fmt.Sprintf("this file has more than %d JSON values; hoplint did not parse it, since HCL's parser and evaluation hold every one and a file like this would cost gigabytes (no hand-written configuration is this large)", maxPunctuation)}
		}
	} else {
		off = nativeDepth(f.Bytes())
	}
	if off < 0 {
		return nil
	}
	p := f.PosAt(off)
	return &parsers.Problem{Kind: parsers.ProblemParse, Range: parsers.Range{File: f.Path, Start: p, End: parsers.Pos{Line: p.Line, Col: p.Col + 1}},
		Message: fmt.Sprintf("blocks or expressions are nested more than %d deep here; hoplint did not parse this file (no real configuration nests this deep)", maxNesting)}
}

// maxPunctuation caps the brackets and operators of one native syntax
// file: HCL's lexer and parser hold a token for each, 1,000,000 "[0]"
// (3 MB) cost 1.5 GB. The largest hand-written modules have a few
// thousand.
const maxPunctuation = 1 << 18

// openers counts the bytes that can open a nesting level or chain an
// operator (an upper bound of the depth), and the closing brackets, dots
// and commas that are tokens too.
func openers(data []byte) int {
	n := 0
	for _, c := range data {
		switch c {
		case '(', '[', '{', '"', '<', '>', '?', '!', '-', '+', '*', '/', '%', '=', '&', '|',
			')', ']', '}', '.', ',':
			n++
		}
	}
	return n
}

// tokenDepth returns the byte offset (plus base) of the token where nesting
// first passes maxNesting, or -1. A run of unary operators and a chain of
// conditionals or binary operators nest too: HCL recurses once per "!",
// "?" and operator.
func tokenDepth(toks hclsyntax.Tokens, base int) int {
	depth := 0
	cond := []int{0} // conditionals seen at each open level
	extra := 0       // sum of cond, plus the current run of unary operators
	unary := 0
	for _, t := range toks {
		if t.Type != hclsyntax.TokenBang && t.Type != hclsyntax.TokenMinus {
			extra -= unary
			unary = 0
		}
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
			cond = append(cond, 0)
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if depth > 0 {
				depth--
				extra -= cond[len(cond)-1]
				cond = cond[:len(cond)-1]
			}
		case hclsyntax.TokenQuestion, hclsyntax.TokenPlus, hclsyntax.TokenStar, hclsyntax.TokenSlash,
			hclsyntax.TokenPercent, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan,
			hclsyntax.TokenGreaterThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThanEq,
			hclsyntax.TokenAnd, hclsyntax.TokenOr:
			// Conditionals and binary operators chain: HCL evaluates a
			// chain of n of them n calls deep.
			cond[len(cond)-1]++
			extra++
		case hclsyntax.TokenComma:
			extra -= cond[len(cond)-1]
			cond[len(cond)-1] = 0
		case hclsyntax.TokenNewline:
			// A new attribute: the conditionals of the previous one are done.
			extra -= cond[len(cond)-1]
			cond[len(cond)-1] = 0
		case hclsyntax.TokenBang:
			unary++
			extra++
		case hclsyntax.TokenMinus:
			unary++
			cond[len(cond)-1]++
			extra += 2
		}
		if depth+extra > maxNesting {
			return base + t.Range.Start.Byte
		}
	}
	return -1
}

// jsonDepth returns the offset where JSON nesting, or the nesting of a
// template inside a JSON string (HCL parses "${…}" in strings when it
// evaluates them), first passes maxNesting, or -1; many is true when the
// file holds more than maxPunctuation values.
func jsonDepth(data []byte) (off int, many bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth, values := 0, 0
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return -1, false // a syntax error: HCL reports it without recursing further
		}
		if values++; values > maxPunctuation {
			return -1, true
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				if depth++; depth > maxNesting {
					return int(start) + bytes.IndexAny(data[start:], "{["), false
				}
			} else {
				depth--
			}
		case string:
			n := openers([]byte(v))
			if n < maxNesting-depth {
				continue
			}
			if n > maxPunctuation {
				return int(start) + bytes.IndexByte(data[start:], '"'), false
			}
			toks, _ := hclsyntax.LexTemplate([]byte(v), "", hcl.Pos{Line: 1, Column: 1})
			if off := tokenDepth(toks, 0); off >= 0 || depth+1 > maxNesting {
				return int(start) + bytes.IndexByte(data[start:], '"'), false
			}
		}
	}
}

// nativeDepth scans HCL native syntax (comments, strings with ${…} and %{…},
// heredocs, brackets) and returns the offset where nesting, counted as
// tokenDepth counts it, first passes maxNesting, or -1.
func nativeDepth(data []byte) int {
	type level struct {
		kind   byte   // ( [ { for brackets, '"' a string, 'i' an interpolation, 'h' a heredoc
		marker string // heredoc end marker
		conds  int    // conditionals seen at this level
	}
	stack := []level{{kind: 0}}
	extra, unary := 0, 0
	atLineStart := true
	for i := 0; i < len(data); i++ {
		c := data[i]
		top := &stack[len(stack)-1]
		lineStart := atLineStart
		atLineStart = c == '\n'
		switch top.kind {
		case '"', 'h':
			switch {
			case top.kind == 'h' && lineStart && heredocEnd(data[i:], top.marker):
				stack = stack[:len(stack)-1]
				if nl := bytes.IndexByte(data[i:], '\n'); nl > 0 {
					i += nl - 1
				} else if nl < 0 {
					i = len(data)
				}
			case c == '\\' && top.kind == '"':
				i++
			case c == '"' && top.kind == '"', c == '\n' && top.kind == '"':
				stack = stack[:len(stack)-1]
			case (c == '$' || c == '%') && i+1 < len(data) && data[i+1] == '{':
				if i+2 < len(data) && data[i+2] == c {
					i += 2 // "$${" and "%%{" are literal
					continue
				}
				stack = append(stack, level{kind: 'i'})
				i++
			}
		default:
			if c != '!' && c != '-' && c != ' ' && c != '\t' {
				extra -= unary
				unary = 0
			}
			switch {
			case c == '#' || c == '/' && i+1 < len(data) && data[i+1] == '/':
				for i < len(data) && data[i] != '\n' {
					i++
				}
				atLineStart = true
			case c == '/' && i+1 < len(data) && data[i+1] == '*':
				end := bytes.Index(data[i+2:], []byte("*/"))
				if end < 0 {
					return -1
				}
				i += end + 3
			case c == '"':
				stack = append(stack, level{kind: '"'})
			case c == '<' && i+1 < len(data) && data[i+1] == '<':
				j := i + 2
				if j < len(data) && data[j] == '-' {
					j++
				}
				k := j
				for k < len(data) && (isIdent(data[k])) {
					k++
				}
				if k > j {
					stack = append(stack, level{kind: 'h', marker: string(data[j:k])})
					for k < len(data) && data[k] != '\n' {
						k++
					}
					i = k
					atLineStart = true
				}
			case c == '(' || c == '[' || c == '{':
				stack = append(stack, level{kind: c})
			case c == ')' || c == ']' || c == '}':
				if len(stack) > 1 {
					extra -= top.conds
					stack = stack[:len(stack)-1]
				}
			case c == '?' || c == '+' || c == '*' || c == '/' || c == '%' || c == '<' || c == '>':
				// Conditionals and binary operators chain: HCL evaluates
				// a chain of n of them n calls deep.
				top.conds++
				extra++
			case (c == '=' || c == '!' || c == '&' || c == '|') && i+1 < len(data) && data[i+1] == "==&|"[strings.IndexByte("=!&|", c)]:
				// ==, !=, &&, ||
				top.conds++
				extra++
				i++
			case c == ',':
				// The next element, argument or item starts a new chain.
				extra -= top.conds
				top.conds = 0
			case c == '\n' && (top.kind == 0 || top.kind == '{'):
				// A new attribute or object item: the conditionals of the
				// previous one are done (inside ( and [ an expression goes on).
				extra -= top.conds
				top.conds = 0
			case c == '!':
				unary++
				extra++
			case c == '-':
				unary++
				top.conds++
				extra += 2
			}
		}
		if len(stack)-1+extra > maxNesting {
			return i
		}
	}
	return -1
}

func isIdent(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// heredocEnd reports whether the line at the start of rest is a heredoc's
// end marker (leading spaces allowed, as for <<-).
func heredocEnd(rest []byte, marker string) bool {
	line := rest
	if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	return string(bytes.TrimSpace(line)) == marker
}
