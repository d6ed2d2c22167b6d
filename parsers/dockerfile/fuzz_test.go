package dockerfile_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/dockerfile"
)

// FuzzDockerfile: no Dockerfile may panic, hang or allocate without bound.
func FuzzDockerfile(f *testing.F) {
	for _, s := range []string{
		"FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/nginx.conf\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
		"ARG V=1\nFROM node:${V} AS a\nENV A=1 B=\"x y\"\nFROM a\nENTRYPOINT exec node s.js\n",
		"# escape=`\nFROM alpine\nRUN a `\n  b\nCOPY <<EOF /x\nhi\nEOF\n",
		"FROM alpine\nENV A=xx\nENV A=${A}${A}\nENV A=${A}${A}\nEXPOSE ${P:-80}/tcp\n",
		"FROM --platform=$BUILDPLATFORM golang AS 0\nCOPY --from=0 /a /b\nUSER ${U:?x}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			d := dockerfile.Parse(parsers.NewFile("Dockerfile", "/r/Dockerfile", "/r", "", data))
			_ = d.Target("a")
		})
	})
}
