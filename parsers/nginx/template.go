package nginx

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Templates: nginx files that a start-up script renders before nginx reads
// them. Parsed as written they give a cascade of errors about text nginx
// never sees, so hoplint reports one information finding naming the first
// placeholder and reads nothing else from the file.
var (
	// ${NGINX_PORT}: envsubst, as the official image renders
	// /etc/nginx/templates/*.template; Kong's ${{PROXY_LISTEN}}.
	bracedEnv = regexp.MustCompile(`\$\{\{?[A-Z][A-Z0-9_]*\}?\}`)
	// {HTTP_INDEX_FILE}: a placeholder a script replaces with sed.
	bareBraces = regexp.MustCompile(`(^|[^$\w])\{[A-Z][A-Z0-9_]*\}`)
	// $(expr): Kong's Penlight substitutions.
	penlightExpr = regexp.MustCompile(`\$\([A-Za-z_][^)]*\)`)
	// $NGINX_HOST: envsubst's unbraced form, only taken as a placeholder
	// in a .template file (nginx variables are lower-case by convention,
	// but nginx accepts any case).
	bareEnv = regexp.MustCompile(`\$[A-Z][A-Z0-9_]*\b`)
)

// templatePlaceholder describes the first start-up placeholder in f, with
// its line and columns; ok is false for an ordinary nginx file.
func templatePlaceholder(f *parsers.File) (what string, r parsers.Range, ok bool) {
	isTemplate := strings.HasSuffix(strings.ToLower(f.Path), ".template")
	first := true
	lines := strings.Split(string(blankLuaCode(f.Data)), "\n")
	for i, text := range lines {
		n := i + 1
		text = strings.TrimSuffix(text, "\r")
		trim := strings.TrimSpace(text)
		if trim == "" || strings.HasPrefix(trim, "#") {
			continue
		}
		if first && strings.HasPrefix(trim, "return [[") {
			col := strings.Index(text, "return") + 1
			return "Lua code wrapping it (return [[ … ]], as Kong's templates have)", f.At(n, col, n, col+len("return [[")), true
		}
		first = false
		if strings.HasPrefix(text, ">") {
			return "the template line \"" + clip(trim) + "\"", f.LineRange(n), true
		}
		code := text
		if i := strings.Index(code, " #"); i >= 0 {
			code = code[:i]
		}
		for _, re := range []*regexp.Regexp{bracedEnv, bareBraces, penlightExpr} {
			if loc := re.FindStringIndex(code); loc != nil {
				s := code[loc[0]:loc[1]]
				if re == bareBraces && !strings.HasPrefix(s, "{") {
					loc[0]++
					s = s[1:]
				}
				return "the placeholder " + s, f.At(n, loc[0]+1, n, loc[1]+1), true
			}
		}
		if isTemplate {
			if loc := bareEnv.FindStringIndex(code); loc != nil && !definesVariable(f.Data, code[loc[0]:loc[1]]) {
				return "the placeholder " + code[loc[0]:loc[1]], f.At(n, loc[0]+1, n, loc[1]+1), true
			}
		}
	}
	return "", parsers.Range{}, false
}

// definesVariable reports whether the file sets $name itself (set, map,
// geo), which makes it an nginx variable and not a placeholder.
func definesVariable(data []byte, name string) bool {
	for _, kw := range []string{"set " + name, " " + name + " {", " " + name + "{"} {
		if bytes.Contains(data, []byte(kw)) {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func templateProblem(what string, r parsers.Range) parsers.Problem {
	return parsers.Problem{Kind: parsers.ProblemSkipped, Range: r,
		Message: "this is an nginx template, not yet an nginx file: it holds " + what + ", which is replaced when the container starts, so hoplint did not lint it. " +
			"Lint the rendered configuration instead (the nginx image's envsubst writes each templates/*.template to /etc/nginx/conf.d/; Kong writes its nginx files with `kong prepare`)"}
}
