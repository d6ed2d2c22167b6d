package appserver

import (
	"time"

	"github.com/hoplint/hoplint/topology/setting"
)

const pumaDoc = "https://github.com/puma/puma/blob/master/lib/puma/configuration.rb"

// puma: persistent_timeout is 65 s from Puma 7.0 and 20 s before. With the
// version unknown, 65 s is used: a pool that outlives 65 s outlives both.
func puma(w Word, version string) Info {
	info := Info{Label: "Puma"}
	v, src := 65*time.Second, &setting.DefaultSource{Product: "Puma", Version: "7.0 and later; 20s before 7.0", URL: pumaDoc}
	if at, known := setting.AtLeast(version, "7.0"); known {
		src.Version = version
		if !at {
			v = 20 * time.Second
		}
	}
	info.KeepAlive = setting.DefaultFor("persistent_timeout", v, w.From.Range, src)
	info.KeepAlive.Note = "assuming config/puma.rb does not set persistent_timeout"
	return info
}
