package compose

import (
	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/topology"
)

// Resources is the service's limits as Docker applies them
// (docs/facts/docker.md, "Resource limits"): deploy.resources.limits.memory
// or mem_limit is the container's hard memory limit (compose refuses the
// two with distinct values), deploy.resources.reservations.memory or
// mem_reservation its soft limit, and deploy.resources.limits.cpus or cpus
// its CFS quota.
//
// A service without a memory limit is not reported (NoMemoryLimit stays
// ""): Docker sets none by default, and most compose files are
// development stacks on one machine, where a warning on every service
// would be noise that hides the findings about the path.
func (s *Service) Resources() *topology.ContainerResources {
	sv := s.Service
	return &topology.ContainerResources{
		Product:           "Docker Compose",
		Words:             "compose service " + sv.Name,
		Anchor:            sv.Range,
		MemoryLimit:       firstBytes(sv.Limits.Memory, "deploy.resources.limits.memory", sv.MemLimit, "mem_limit"),
		MemoryReservation: firstBytes(sv.Reservations.Memory, "deploy.resources.reservations.memory", sv.MemReservation, "mem_reservation"),
		CPULimit:          firstCPUs(sv.Limits.CPUs, "deploy.resources.limits.cpus", sv.CPUs, "cpus"),
		Command:           s.Command,
		Env:               s.Env,
	}
}

// firstBytes is the first of two ways to write one value that is set and
// known, as an Amount; nil when neither is.
func firstBytes(a compose.Bytes, akey string, b compose.Bytes, bkey string) *topology.Amount {
	for _, c := range []struct {
		v   compose.Bytes
		key string
	}{{a, akey}, {b, bkey}} {
		if c.v.Set && c.v.Known && c.v.Bytes > 0 && c.v.Raw != "" {
			return &topology.Amount{N: c.v.Bytes, Raw: c.v.Raw, Key: c.key, Range: c.v.Range}
		}
	}
	return nil
}

func firstCPUs(a compose.CPUs, akey string, b compose.CPUs, bkey string) *topology.Amount {
	for _, c := range []struct {
		v   compose.CPUs
		key string
	}{{a, akey}, {b, bkey}} {
		if c.v.Set && c.v.Known && c.v.CPUs > 0 && c.v.Raw != "" {
			return &topology.Amount{N: int64(c.v.CPUs*1000 + 0.5), Raw: c.v.Raw, Key: c.key, Range: c.v.Range}
		}
	}
	return nil
}
