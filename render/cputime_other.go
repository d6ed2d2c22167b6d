//go:build !linux

package render

import "time"

// processCPU is not known here: the chart's budget is wall time.
func processCPU(int) (time.Duration, bool) { return 0, false }
