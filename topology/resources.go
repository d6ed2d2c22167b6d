package topology

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/appserver"
)

// The resource limits of containers that are not Kubernetes containers
// (compose services, ECS containers), in one shape, so that the limit
// rules (missing-memory-limit, memory-limit-too-small, cpu-limit-too-small,
// heap-exceeds-memory-limit, requests-exceed-limits) read every source the
// same way. Each source fills it with its own semantics (docs/facts/docker.md,
// docs/facts/aws.md) and words; a value the files do not give, or give
// only at deploy time, is nil: no rule guesses it.

// Amount is one resource value as the files write it.
type Amount struct {
	// N is bytes for memory, millicores (1000 = one CPU) for CPU.
	N int64
	// Raw is the value as written ("512M", "0.5", "512").
	Raw string
	// Key names the setting in the product's terms ("mem_limit",
	// "deploy.resources.limits.memory", "memory", "task memory").
	Key   string
	Range parsers.Range
	// Why says where a value not written at Range comes from (a module's
	// default); "" when it is written there.
	Why string
}

// ContainerResources is what a container may use and what its runtime is
// told about memory.
type ContainerResources struct {
	// Product is "Docker Compose" or "Amazon ECS": whose semantics apply.
	Product string
	// Words names the container in messages ("compose service api",
	// "container api of ECS task definition shop").
	Words string
	// Anchor is where a finding about the container as a whole points.
	Anchor parsers.Range

	// MemoryLimit is the hard limit: the cgroup limit the kernel
	// OOM-kills the container at. For ECS it is the container's memory,
	// else the task's (which caps all containers of the task together).
	MemoryLimit *Amount
	// MemoryReservation is the soft limit or reservation, when set.
	MemoryReservation *Amount
	// CPULimit is the CFS quota (compose cpus, ECS task cpu), when set.
	CPULimit *Amount
	// TaskMemory is the ECS task definition's memory, which all its
	// containers share (their memoryReservation together must stay
	// below it); nil for compose, or when not written.
	TaskMemory *Amount
	// TaskShare is what the container reserves of the task's memory: its
	// memoryReservation, else its memory; nil when it sets neither.
	// TaskShareUnknown is true when the setting is there but unknown.
	TaskShare        *Amount
	TaskShareUnknown bool

	// NoMemoryLimit, when not "", says why nothing caps the container's
	// memory, in words a message can use; "" when a limit is set, or when
	// hoplint cannot tell (a value known at deploy time only, a bare
	// container-definitions array whose task is not linted).
	NoMemoryLimit string
	// NoMemoryLimitAt is where that finding points.
	NoMemoryLimitAt parsers.Range

	// Command is the entrypoint followed by the command; Env the
	// environment, for runtime heap flags (-Xmx, NODE_OPTIONS, GOMEMLIMIT).
	Command []appserver.Str
	Env     map[string]appserver.Str
}

// ResourceHolder is a hop config with resource limits of its own (a
// compose service, an ECS container).
type ResourceHolder interface {
	Resources() *ContainerResources
}
