package config

import (
	"math"
	"time"
)

// secondsDur converts whole seconds, saturating rather than wrapping.
func secondsDur(n int64) time.Duration {
	if n > math.MaxInt64/int64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(n) * time.Second
}
