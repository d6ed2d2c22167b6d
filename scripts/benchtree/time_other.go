//go:build !unix

package main

import "errors"

// timeCommands needs the resource usage of a waited-for process, which
// only Unix gives.
func timeCommands(int, []string) error {
	return errors.New("time: needs a Unix system")
}
