package appserver

import "strings"

// Word is one word of a command line and the value it came from, so that
// a finding on "--keep-alive 5" points at the line that holds it.
type Word struct {
	Text string
	From Str
}

// Words splits each item of a command into words; "sh -c 'exec gunicorn
// …'" contributes the words of its script.
func Words(items []Str) []Word {
	var out []Word
	for _, s := range items {
		for _, f := range ShellFields(s.Value) {
			out = append(out, Word{f, s})
		}
	}
	return out
}

// ShellFields splits like a shell would for simple scripts: whitespace,
// single and double quotes; ";", "&&" and "|" end a word. Nothing is
// expanded or run.
func ShellFields(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	has := false
	flush := func() {
		if has {
			out = append(out, cur.String())
		}
		cur.Reset()
		has = false
	}
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, has = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|':
			flush()
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	flush()
	return out
}

// FlagValue reads "--name value", "--name=value" and, for short flags,
// "-kvalue" at words[i]. It returns the value, the word that holds it, the
// index of that word, and whether words[i] is the flag.
func FlagValue(words []Word, i int, long, short string) (string, Word, int, bool) {
	w := words[i].Text
	for _, name := range []string{long, short} {
		if name == "" {
			continue
		}
		if w == name && i+1 < len(words) {
			return words[i+1].Text, words[i+1], i + 1, true
		}
		if strings.HasPrefix(w, name+"=") {
			return w[len(name)+1:], words[i], i, true
		}
		if len(name) == 2 && strings.HasPrefix(w, name) && len(w) > 2 && !strings.HasPrefix(w, "--") {
			return w[2:], words[i], i, true
		}
	}
	return "", Word{}, i, false
}
