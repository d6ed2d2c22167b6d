//go:build unix

package main

import (
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// timeCommands is benchtree time: spec is LABEL CMD [ARG...] groups
// separated by "--".
func timeCommands(runs int, spec []string) error {
	type command struct {
		label     string
		argv      []string
		cpu, wall []float64 // milliseconds
		exits     map[int]bool
	}
	var cmds []*command
	for len(spec) > 0 {
		end := slices.Index(spec, "--")
		if end < 0 {
			end = len(spec)
		}
		if end < 2 {
			return errors.New("time: each command needs a label and a program")
		}
		cmds = append(cmds, &command{label: spec[0], argv: spec[1:end], exits: map[int]bool{}})
		spec = spec[min(end+1, len(spec)):]
	}
	for range runs {
		for _, c := range cmds {
			cmd := exec.Command(c.argv[0], c.argv[1:]...)
			start := time.Now()
			err := cmd.Run()
			wall := time.Since(start)
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				return fmt.Errorf("time: %s: %w", c.label, err)
			}
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				return errors.New("time: no resource usage on this system")
			}
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			c.cpu = append(c.cpu, float64(cpu)/1e6)
			c.wall = append(c.wall, float64(wall)/1e6)
			c.exits[cmd.ProcessState.ExitCode()] = true
		}
	}
	for _, c := range cmds {
		slices.Sort(c.cpu)
		slices.Sort(c.wall)
		exits := slices.Sorted(func(yield func(string) bool) {
			for e := range c.exits {
				if !yield(strconv.Itoa(e)) {
					return
				}
			}
		})
		fmt.Printf("%s\t%.1f\t%.1f\t%.1f\t%.1f\t%s\n", c.label, c.cpu[0], c.cpu[len(c.cpu)/2], c.wall[0], c.wall[len(c.wall)/2], strings.Join(exits, ","))
	}
	return nil
}
