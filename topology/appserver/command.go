package appserver

import (
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// A command is one simple command of a command line or script: its words,
// each with the value (and so the range) it came from. "migrate && exec
// node server.js" is two commands.

// commandsOf splits a process's command into simple commands. Exec-form
// items are words of one command; an item that is a shell script ("sh -c
// '…'") contributes its commands, the first continuing the current one.
func commandsOf(items []Str) [][]Word {
	var out [][]Word
	var cur []Word
	for _, s := range items {
		for i, fields := range shellCommands(s.Value) {
			if i > 0 {
				if len(cur) > 0 {
					out = append(out, cur)
				}
				cur = nil
			}
			for _, f := range fields {
				cur = append(cur, Word{Text: f, From: s})
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// shellCommands splits a script into simple commands (";", "&&", "||",
// "|", "&" and newlines end one) and each into words, as ShellFields does.
// A backslash before a newline continues the line. Comments are dropped.
// Nothing is expanded or run.
func shellCommands(s string) [][]string {
	var out [][]string
	var words []string
	var cur strings.Builder
	var quote rune
	has := false
	flushWord := func() {
		if has {
			words = append(words, cur.String())
		}
		cur.Reset()
		has = false
	}
	flushCmd := func() {
		flushWord()
		out = append(out, words)
		words = nil
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\\' && i+1 < len(rs) && rs[i+1] == '\n':
			i++
			flushWord()
		case r == '\'' || r == '"':
			quote, has = r, true
		case r == '#' && !has:
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			flushCmd()
		case r == ' ' || r == '\t' || r == '\r':
			flushWord()
		case r == '\n' || r == ';' || r == '&' || r == '|':
			flushCmd()
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	flushCmd()
	// Drop the empty commands that separators in a row leave.
	n := 0
	for _, c := range out {
		if len(c) > 0 {
			out[n] = c
			n++
		}
	}
	if n == 0 {
		return [][]string{nil}
	}
	return out[:n]
}

// scriptCommands reads a shell script file line by line (continuation
// lines joined), each command's words pointing at the line it is on.
func scriptCommands(f *parsers.File) [][]Word {
	var out [][]Word
	n := f.NumLines()
	for line := 1; line <= n; line++ {
		text := f.Line(line)
		first := line
		for strings.HasSuffix(strings.TrimRight(text, " \t\r"), "\\") && line < n {
			line++
			text = strings.TrimSuffix(strings.TrimRight(text, " \t\r"), "\\") + " " + f.Line(line)
		}
		r := f.At(first, 1, line, len(f.Line(line))+1)
		if lr := f.LineRange(first); first == line {
			r = lr
		}
		for _, c := range shellCommands(text) {
			if len(c) == 0 {
				continue
			}
			ws := make([]Word, len(c))
			for i, w := range c {
				ws[i] = Word{Text: w, From: Str{Value: text, Range: r}}
			}
			out = append(out, ws)
		}
	}
	return out
}

// wrappers run the command that follows them: a shell's exec, init
// processes, privilege droppers, env.
var wrappers = map[string]int{
	// name → how many arguments of its own it takes before the command
	"exec": 0, "env": 0, "dumb-init": 0, "tini": 0, "tini-static": 0, "nohup": 0, "time": 0,
	"gosu": 1, "su-exec": 1, "chpst": 0, "npx": 0, "pnpx": 0,
}

// stripWrappers drops leading variable assignments, wrappers and "sh -c"
// from a command, leaving the program that serves.
func stripWrappers(ws []Word) []Word {
	for len(ws) > 0 {
		w := ws[0].Text
		b := baseName(w)
		switch {
		case strings.Contains(w, "=") && !strings.HasPrefix(w, "-") && !strings.Contains(w, "/"):
			ws = ws[1:] // FOO=bar cmd
		case w == "--":
			ws = ws[1:]
		case (b == "bundle" && len(ws) > 1 && ws[1].Text == "exec") ||
			(b == "poetry" || b == "pipenv" || b == "uv") && len(ws) > 1 && ws[1].Text == "run":
			ws = ws[2:]
		case isShell(b):
			ws = ws[1:]
			for len(ws) > 0 && strings.HasPrefix(ws[0].Text, "-") {
				ws = ws[1:] // -c, -e, -ex
			}
		case wrappers[b] > 0 || wrappers[b] == 0 && hasKey(wrappers, b):
			skip := wrappers[b]
			ws = ws[1:]
			for len(ws) > 0 && strings.HasPrefix(ws[0].Text, "-") {
				ws = ws[1:]
			}
			if skip > 0 && len(ws) > 0 {
				ws = ws[1:]
			}
		default:
			return ws
		}
	}
	return ws
}

func isShell(s string) bool {
	switch baseName(s) {
	case "sh", "bash", "ash", "dash", "zsh":
		return true
	}
	return false
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}
