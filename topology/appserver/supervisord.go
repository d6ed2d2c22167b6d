package appserver

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
	cfg "github.com/hoplint/hoplint/parsers/app/config"
)

// supervisord follows `supervisord -c FILE` to the programs FILE starts
// (images that run nginx and php-fpm side by side do this): supervisord
// starts them all at once, so they are read as commands run in the
// background, and the one that is an app server is the container's. A
// config file hoplint cannot find, or programs that start no server
// hoplint knows, leave the process unidentified; a program whose command
// holds a %(…)s expansion is passed over.
func (r *resolver) supervisord(ws []Word) (Info, bool) {
	conf := ""
	for i := 1; i < len(ws); i++ {
		if v, _, j, ok := FlagValue(ws, i, "--configuration", "-c"); ok {
			conf, i = v, j
		}
	}
	if conf == "" {
		// supervisord then searches several places, relative to its own
		// binary among them; not guessed.
		return Info{}, false
	}
	f := r.uwsgiFile(conf) // the same lookup: the container's files, else the build context
	if f == nil {
		return Info{}, false
	}
	progs, probs := cfg.ParseSupervisord(f)
	if r.p.Files.once("config:" + f.Path) {
		r.problems = append(r.problems, probs...)
	}
	var cmds [][]Word
	for _, p := range progs {
		if !p.Autostart || p.Command == "" || p.Unknown {
			continue
		}
		for _, c := range shellCommands(p.Command) {
			if len(c) == 0 {
				continue
			}
			ws := make([]Word, len(c))
			for i, w := range c {
				ws[i] = Word{Text: w, From: Str{Value: p.Command, Range: p.Range}}
			}
			cmds = append(cmds, ws)
		}
	}
	info, ok := r.serverFrom(cmds, nil, true)
	if !ok {
		return Info{}, false
	}
	r.sources = append(r.sources, f)
	r.note(fmt.Sprintf("assuming the server is the one supervisord starts from %s", parsers.RelPath(".", f.Path)))
	return info, true
}
