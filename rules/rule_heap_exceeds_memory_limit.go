package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
)

var heapExceedsMemoryLimit = &Rule{
	ID:       "heap-exceeds-memory-limit",
	Title:    "a runtime heap limit at or above the container's memory limit",
	Severity: Error,
	Doc: `A language runtime sized for more memory than its container may use never
collects garbage in time: the heap grows past the cgroup limit and the kernel
OOM-kills the process (exit 137), resetting every connection it held. The
heap also needs company — thread stacks, metaspace, buffers, the runtime
itself — so it must stay well below the limit.

hoplint reads ` + "`-Xmx`" + ` and ` + "`-XX:MaxRAMPercentage`" + ` (in JAVA_TOOL_OPTIONS, JAVA_OPTS,
JDK_JAVA_OPTIONS, _JAVA_OPTIONS, CATALINA_OPTS or the command line), Node's
` + "`--max-old-space-size`" + ` (NODE_OPTIONS or the command line) and ` + "`GOMEMLIMIT`" + `, and
compares them with ` + "`resources.limits.memory`" + `, or, when the container sets none,
with the limit a LimitRange of its namespace gives it (its ` + "`default`" + `, else its
` + "`max`" + `; the finding cites it). A heap flag without any memory limit
is fine (that is missing-memory-limit's business), and so is a percentage
below 100. Keep the heap at about 75% of the limit, or size it with
` + "`-XX:MaxRAMPercentage=75`" + ` so that it follows the limit.

A compose service's limit is ` + "`mem_limit`" + ` or ` + "`deploy.resources.limits.memory`" + `; an
ECS container's is its ` + "`memory`" + `, else the task definition's ` + "`memory`" + `, which caps
all the task's containers together (and is what a Fargate container runs
under).`,
	Examples: []Example{
		{Name: "Xmx above limit", Bad: true, Archive: `-- deploy.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: eclipse-temurin:21
          env:
            - name: JAVA_TOOL_OPTIONS
              value: "-Xmx1g"
          resources:
            limits:
              memory: 768Mi
`},
		{Name: "percentage", Archive: `-- deploy.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: eclipse-temurin:21
          env:
            - name: JAVA_TOOL_OPTIONS
              value: "-XX:MaxRAMPercentage=75"
          resources:
            limits:
              memory: 768Mi
`},
	},
	Run: runHeapExceedsMemoryLimit,
}

func init() { Register(heapExceedsMemoryLimit) }

// heapSetting is one heap limit found in a container.
type heapSetting struct {
	flag    string // as written: "-Xmx1g", "GOMEMLIMIT=1GiB"
	where   string // "JAVA_TOOL_OPTIONS", "the command line"
	bytes   int64  // -1 for a percentage
	percent float64
	at      parsers.Range
	note    string
}

var javaEnv = map[string]string{
	"JAVA_TOOL_OPTIONS": "", "JDK_JAVA_OPTIONS": "", "_JAVA_OPTIONS": "",
	"JAVA_OPTS":     "assuming the image's start script passes JAVA_OPTS to java",
	"CATALINA_OPTS": "assuming Tomcat's catalina.sh starts the JVM",
}

func heapSettings(c *kubernetes.Container) []heapSetting {
	var out []heapSetting
	scan := func(text, where, note string, at parsers.Range) {
		for _, f := range strings.Fields(text) {
			f = strings.Trim(f, `"'`)
			switch {
			case strings.HasPrefix(f, "-Xmx"):
				if n, ok := javaSize(f[4:]); ok {
					out = append(out, heapSetting{flag: f, where: where, bytes: n, at: at, note: note})
				}
			case strings.HasPrefix(f, "-XX:MaxRAMPercentage="):
				if v, err := strconv.ParseFloat(f[len("-XX:MaxRAMPercentage="):], 64); err == nil {
					out = append(out, heapSetting{flag: f, where: where, bytes: -1, percent: v, at: at, note: note})
				}
			case strings.HasPrefix(f, "--max-old-space-size="), strings.HasPrefix(f, "--max_old_space_size="):
				if v, err := strconv.ParseInt(f[len("--max-old-space-size="):], 10, 64); err == nil && v > 0 {
					out = append(out, heapSetting{flag: f, where: where, bytes: v << 20, at: at, note: note})
				}
			}
		}
	}
	for _, e := range c.Env {
		if e.FromRef || !e.Value.Set {
			continue
		}
		name := e.Name.Value
		switch name {
		case "NODE_OPTIONS":
			scan(e.Value.Value, name, "", e.Value.Range)
		case "GOMEMLIMIT":
			if n, ok := goSize(e.Value.Value); ok {
				out = append(out, heapSetting{flag: "GOMEMLIMIT=" + e.Value.Value, where: "the environment", bytes: n, at: e.Value.Range})
			}
		default:
			if note, ok := javaEnv[name]; ok {
				scan(e.Value.Value, name, note, e.Value.Range)
			}
		}
	}
	for _, s := range append(append([]kubernetes.Str{}, c.Command...), c.Args...) {
		scan(s.Value, "the command line", "", s.Range)
	}
	return out
}

// javaSize reads a JVM size: bytes, or k/m/g/t (either case, binary).
func javaSize(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	mult := int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		mult = 1 << 10
	case 'm', 'M':
		mult = 1 << 20
	case 'g', 'G':
		mult = 1 << 30
	case 't', 'T':
		mult = 1 << 40
	}
	if mult > 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, false
	}
	return n * mult, true
}

// goSize reads GOMEMLIMIT: bytes with an optional B, KiB, MiB, GiB or TiB.
func goSize(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, false
	}
	return n * mult, true
}

func runHeapExceedsMemoryLimit(p *Pass) {
	heapOther(p)
	for _, pc := range containers(p) {
		hs := heapSettings(pc.c)
		if len(hs) == 0 {
			continue
		}
		lim, limWords, note, _, ok := containerLimit(p, pc, "memory")
		if !ok || isMilliTypo(lim) {
			continue
		}
		if limWords == "" {
			limWords = "its memory limit"
		}
		limit := lim.Q.Value()
		for _, h := range hs {
			var msg string
			switch {
			case h.bytes < 0 && h.percent >= 100:
				msg = fmt.Sprintf("%s sets %s in %s: the heap may take all of %s (%s) and leave nothing for the JVM's own memory, so the kernel OOM-kills it (exit 137). Use -XX:MaxRAMPercentage=75 or lower.",
					containerWords(pc), h.flag, h.where, limWords, lim.Raw)
			case h.bytes >= limit:
				msg = fmt.Sprintf("%s sets %s in %s, a heap of %s, at or above %s of %s: the process is OOM-killed (exit 137) before the heap is ever full. Keep the heap near 75%% of the limit (about %s), or raise the limit.",
					containerWords(pc), h.flag, h.where, bytesWords(h.bytes), limWords, lim.Raw, bytesWords(limit*3/4))
			default:
				continue
			}
			msg += assumptions(h.note, note)
			p.Report(Finding{Range: h.at, Related: []parsers.Related{relatedAt(lim.Range, "the memory limit is "+lim.Raw+" here")}, Message: msg})
		}
	}
}

// heapOther checks compose services and ECS containers: the hard memory
// limit (mem_limit or deploy.resources.limits.memory; an ECS container's
// memory, else its task's) against the same heap flags.
func heapOther(p *Pass) {
	for _, lc := range otherContainers(p) {
		lim := lc.r.MemoryLimit
		if lim == nil {
			continue
		}
		for _, h := range heapSettingsOf(lc.r) {
			var msg string
			switch {
			case h.bytes < 0 && h.percent >= 100:
				msg = fmt.Sprintf("%s sets %s in %s: the heap may take all of %s (%s) and leave nothing for the JVM's own memory, so the kernel OOM-kills it (exit 137). Use -XX:MaxRAMPercentage=75 or lower.",
					lc.r.Words, h.flag, h.where, limitWords(lim), lim.Raw)
			case h.bytes >= lim.N:
				msg = fmt.Sprintf("%s sets %s in %s, a heap of %s, at or above %s (%s, %s): the process is OOM-killed (exit 137) before the heap is ever full. Keep the heap near 75%% of the limit (about %s), or raise %s.",
					lc.r.Words, h.flag, h.where, bytesWords(h.bytes), limitWords(lim), lim.Raw, bytesWords(lim.N), bytesWords(lim.N*3/4), limitFix(lim))
			default:
				continue
			}
			msg += assumptions(h.note)
			p.Report(Finding{Range: h.at, Related: []parsers.Related{relatedAt(lim.Range, "the memory limit is "+lim.Raw+" here ("+amountSource(lim)+")")}, Message: msg})
		}
	}
}
