package dockerfile_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	testcorpus "github.com/hoplint/hoplint/internal/corpus"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/dockerfile"
)

func parse(src string) *dockerfile.Dockerfile {
	return dockerfile.Parse(parsers.NewFile("Dockerfile", "/r/Dockerfile", "/r", "", []byte(src)))
}

func TestStages(t *testing.T) {
	d := parse(`# syntax=docker/dockerfile:1
ARG NGINX_VERSION=1.27
ARG REGISTRY
FROM --platform=linux/amd64 node:22 AS build
WORKDIR /src
COPY package.json ./
RUN npm ci

FROM nginx:${NGINX_VERSION}-alpine AS web
ENV SIZE=10m \
    OTHER="a b"
ARG PORT=8080
ENV LISTEN=${PORT} UNSET=${NOPE}
EXPOSE ${PORT} 443/tcp
COPY --from=build /src/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
ADD conf.d/ /etc/nginx/conf.d/
USER nginx
CMD ["nginx", "-g", "daemon off;"]

FROM web AS debug
ENTRYPOINT /docker-entrypoint.sh
FROM ${REGISTRY}/app:1
`)
	if len(d.Problems) != 0 {
		t.Fatal(d.Problems)
	}
	if len(d.Stages) != 4 || len(d.Args) != 2 {
		t.Fatalf("stages %d args %d", len(d.Stages), len(d.Args))
	}
	b, w, dbg, last := d.Stages[0], d.Stages[1], d.Stages[2], d.Stages[3]
	if b.Name != "build" || b.Image != "node:22" || b.Platform != "linux/amd64" || b.Range.Start.Line != 4 || b.Workdir.Value != "/src" {
		t.Errorf("build stage = %+v", b)
	}
	if w.ImageResolved != "nginx:1.27-alpine" || !w.ImageKnown || w.Image != "nginx:${NGINX_VERSION}-alpine" {
		t.Errorf("web FROM = %q %q %v", w.Image, w.ImageResolved, w.ImageKnown)
	}
	env := w.EnvMap()
	if e := env["SIZE"]; e.Value != "10m" || e.Range.Start.Line != 10 || e.Range.End.Line != 11 {
		t.Errorf("SIZE = %+v", e)
	}
	if e := env["OTHER"]; e.Value != "a b" {
		t.Errorf("OTHER = %+v", e)
	}
	if e := env["LISTEN"]; e.Value != "8080" || !e.Known {
		t.Errorf("LISTEN (from an ARG default) = %+v", e)
	}
	if e := env["UNSET"]; e.Known {
		t.Errorf("UNSET from an undefined variable must be unknown: %+v", e)
	}
	if len(w.Expose) != 2 || w.Expose[0].Value != "8080" || w.Expose[1].Value != "443/tcp" {
		t.Errorf("expose = %+v", w.Expose)
	}
	if len(w.Copies) != 3 || w.Copies[0].FromStage != b || w.Copies[1].Dest != "/etc/nginx/nginx.conf" || w.Copies[1].Sources[0] != "nginx.conf" || w.Copies[1].Range.Start.Line != 16 || !w.Copies[2].Add {
		t.Errorf("copies = %+v", w.Copies)
	}
	if w.User.Value != "nginx" || w.Cmd == nil || !w.Cmd.Exec || strings.Join(w.Cmd.Args, "|") != "nginx|-g|daemon off;" || w.Cmd.Range.Start.Line != 19 {
		t.Errorf("user %+v cmd %+v", w.User, w.Cmd)
	}
	if dbg.Base != w || dbg.User.Value != "nginx" || dbg.EnvMap()["SIZE"].Value != "10m" {
		t.Errorf("debug does not inherit from web: %+v", dbg)
	}
	if dbg.Entrypoint == nil || dbg.Entrypoint.Exec || strings.Join(dbg.Entrypoint.Args, "|") != "/bin/sh|-c|/docker-entrypoint.sh" || dbg.Entrypoint.Raw != "/docker-entrypoint.sh" {
		t.Errorf("entrypoint = %+v", dbg.Entrypoint)
	}
	if dbg.Cmd != nil {
		t.Errorf("ENTRYPOINT resets the inherited CMD, got %+v", dbg.Cmd)
	}
	if last.ImageKnown {
		t.Errorf("FROM ${REGISTRY}/app:1 with no default must be unknown: %+v", last)
	}
	if d.Final() != last || d.Target("WEB") != w || d.Target("") != last || d.Target("nope") != nil {
		t.Error("Final/Target")
	}
}

func TestBadInput(t *testing.T) {
	for _, src := range []string{
		"FROM alpine\nCOPY <<EOF /x\n",
		"# escape=`\nFROM alpine\nRUN a `\n",
		"FROM alpine\nHEALTHCHECK --interval=x CMD\n",
		"\x00\x01\x02",
		"FROM alpine\n" + strings.Repeat("x", 70000) + "\n",
	} {
		d := parse(src)
		for _, p := range d.Problems {
			if p.Kind != parsers.ProblemParse || p.Range.Start.Line == 0 {
				t.Errorf("%q: %+v", src[:10], p)
			}
		}
	}
	big := parse("FROM alpine\n" + strings.Repeat("ENV A=1\n", parsers.MaxFileSize/8+1))
	if len(big.Problems) != 1 || !strings.Contains(big.Problems[0].Message, "over hoplint's limit") {
		t.Errorf("oversized file: %+v", big.Problems)
	}
	line := parse("FROM alpine\nFOO bar\nFROM\n")
	_ = line
}

func TestManyInstructionsFast(t *testing.T) {
	src := "FROM alpine\n" + strings.Repeat("ENV A=${A}${A}\n", 110000)
	start := time.Now()
	d := parse(src)
	// A guard against a hang, not a speed check (the machine is shared).
	if time.Since(start) > 120*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
	t.Logf("took %s", time.Since(start))
	if len(d.Problems) == 0 {
		t.Error("want the instruction cap to be reported")
	}
}

// TestCorpus parses every Dockerfile of ../shared/corpus: none may fail.
func TestCorpus(t *testing.T) {
	corpus := testcorpus.Dir(t)
	n := 0
	err := filepath.WalkDir(corpus, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		base := e.Name()
		if base != "Dockerfile" && !strings.HasPrefix(base, "Dockerfile.") && !strings.HasSuffix(base, ".Dockerfile") {
			return nil
		}
		data, err := parsers.ReadWithin(corpus, p)
		if err != nil {
			return err
		}
		n++
		d := dockerfile.Parse(parsers.NewFile(parsers.RelPath(corpus, p), p, corpus, "", data))
		for _, pr := range d.Problems {
			t.Errorf("%s: %s", pr.Range, pr.Message)
		}
		if len(d.Stages) == 0 {
			t.Errorf("%s: no stage", parsers.RelPath(corpus, p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d Dockerfiles", n)
	if n < 40 {
		t.Errorf("only %d Dockerfiles found", n)
	}
}

func TestGrowingEnv(t *testing.T) {
	d := parse("FROM alpine\nENV A=xxxxxxxx\n" + strings.Repeat("ENV A=${A}${A}\n", 64) + "ENV B=$A\n")
	e := d.Final().EnvMap()
	if e["B"].Known || len(e["B"].Value) > 4<<20 {
		t.Errorf("B = %d bytes, known=%v", len(e["B"].Value), e["B"].Known)
	}
}
