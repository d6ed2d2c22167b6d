package ecs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Str is a string field: Set when written, Known when its value is not a
// placeholder.
type Str struct {
	Value      string
	Set, Known bool
	Range      parsers.Range
}

// Int is a whole-number field (ECS also accepts a number written as a
// string in a few places; it is read as such).
type Int struct {
	Value      int64
	Set, Known bool
	Range      parsers.Range
}

// Bool is a true/false field.
type Bool struct {
	Value      bool
	Set, Known bool
	Range      parsers.Range
}

// Env is one entry of a container's environment.
type Env struct {
	Name, Value Str
}

// PortMapping is one entry of portMappings.
type PortMapping struct {
	ContainerPort, HostPort Int
	Range                   parsers.Range
}

// Container is one container definition.
type Container struct {
	Name, Image Str
	// Command and EntryPoint are the words written; CommandUnknown or
	// EntryPointUnknown when the list itself is a placeholder.
	Command, EntryPoint               []Str
	CommandUnknown, EntryPointUnknown bool
	Environment                       []Env
	// EnvironmentUnknown: the list is a placeholder, so any variable may
	// be set.
	EnvironmentUnknown bool
	PortMappings       []PortMapping
	PortsUnknown       bool
	Memory             Int // hard limit, MiB
	MemoryReservation  Int // soft limit, MiB
	CPU                Int // CPU units (1024 = one vCPU)
	StopTimeout        Int // seconds
	Essential          Bool
	// Range is the container's object.
	Range parsers.Range
}

// TaskDefinition is what a document holds: its containers and, when it is
// a whole task definition, the task-level memory and cpu.
type TaskDefinition struct {
	Containers []*Container
	// Memory and CPU are the task-level sizes (strings in the API: "512",
	// "1 GB", "0.5 vCPU"); unset for a bare container-definition array.
	Memory, CPU Str
	// Family is the task definition's family (what an ECS service names
	// as "family" or "family:revision"); unset for a bare array.
	Family Str
	// Whole: the document is a task definition (an object), not a bare
	// container-definitions array, so an unset task memory is unset.
	Whole bool
	Range parsers.Range
}

// maxContainers bounds the containers read from one document: ECS allows
// 10 per task definition.
const maxContainers = 100

// FromNode reads the task definition a JSON value describes: an array of
// container definitions, or an object with containerDefinitions. A value
// of another shape gives a problem, as does one that is a placeholder as
// a whole (nothing can be read from it).
func FromNode(root *Node) (*TaskDefinition, []parsers.Problem) {
	td := &TaskDefinition{Range: root.Range}
	list := root
	var probs []parsers.Problem
	if root.Kind == Map {
		if w := root.Get("taskDefinition"); w != nil && w.Kind == Map && root.Get("containerDefinitions") == nil {
			// What `aws ecs describe-task-definition` prints: the task
			// definition inside a taskDefinition object.
			root = w
		}
		list = root.Get("containerDefinitions")
		td.Whole = true
		td.Memory = str(root.Get("memory"))
		td.CPU = str(root.Get("cpu"))
		td.Family = str(root.Get("family"))
		if list == nil {
			return td, []parsers.Problem{{Kind: parsers.ProblemParse, Range: root.Range,
				Message: "a task definition without containerDefinitions: ECS needs at least one container definition"}}
		}
	}
	switch list.Kind {
	case Unknown:
		return td, nil
	case List:
	default:
		return td, []parsers.Problem{{Kind: parsers.ProblemParse, Range: list.Range,
			Message: "container definitions must be a JSON array of container objects, as ECS reads them"}}
	}
	for i, it := range list.Items {
		if i == maxContainers {
			probs = append(probs, parsers.Problem{Kind: parsers.ProblemSkipped, Range: it.Range,
				Message: fmt.Sprintf("%d container definitions; ECS accepts at most 10 per task definition, and hoplint reads only the first %d", len(list.Items), maxContainers)})
			break
		}
		if it.Kind != Map {
			continue // a placeholder element: a container hoplint cannot see
		}
		td.Containers = append(td.Containers, container(it))
	}
	return td, probs
}

func container(n *Node) *Container {
	c := &Container{Range: n.Range,
		Name: str(n.Get("name")), Image: str(n.Get("image")),
		Memory: integer(n.Get("memory")), MemoryReservation: integer(n.Get("memoryReservation")),
		CPU: integer(n.Get("cpu")), StopTimeout: integer(n.Get("stopTimeout")),
		Essential: boolean(n.Get("essential")),
	}
	c.Command, c.CommandUnknown = words(n.Get("command"))
	c.EntryPoint, c.EntryPointUnknown = words(n.Get("entryPoint"))
	switch env := n.Get("environment"); {
	case env == nil:
	case env.Kind == List:
		for _, e := range env.Items {
			if e.Kind != Map {
				c.EnvironmentUnknown = true
				continue
			}
			c.Environment = append(c.Environment, Env{Name: str(e.Get("name")), Value: str(e.Get("value"))})
		}
	default:
		c.EnvironmentUnknown = true
	}
	switch pm := n.Get("portMappings"); {
	case pm == nil:
	case pm.Kind == List:
		for _, e := range pm.Items {
			if e.Kind != Map {
				c.PortsUnknown = true
				continue
			}
			c.PortMappings = append(c.PortMappings, PortMapping{Range: e.Range,
				ContainerPort: integer(e.Get("containerPort")), HostPort: integer(e.Get("hostPort"))})
		}
	default:
		c.PortsUnknown = true
	}
	return c
}

func str(n *Node) Str {
	if n == nil || n.Kind == Scalar && n.Value == "null" && !n.Quoted {
		return Str{}
	}
	s := Str{Set: true, Range: n.Range}
	if n.Kind == Scalar && !placeholderText(n.Value) {
		s.Value, s.Known = n.Value, true
	} else {
		s.Value = n.Value
	}
	return s
}

func integer(n *Node) Int {
	s := str(n)
	out := Int{Set: s.Set, Range: s.Range}
	if !s.Known {
		return out
	}
	v, err := strconv.ParseInt(strings.TrimSpace(s.Value), 10, 64)
	if err == nil {
		out.Value, out.Known = v, true
	}
	return out
}

func boolean(n *Node) Bool {
	s := str(n)
	out := Bool{Set: s.Set, Range: s.Range}
	if s.Known && (s.Value == "true" || s.Value == "false") {
		out.Value, out.Known = s.Value == "true", true
	}
	return out
}

// words reads a list of strings; true when the list is a placeholder.
func words(n *Node) ([]Str, bool) {
	if n == nil || n.Kind == Scalar && n.Value == "null" && !n.Quoted {
		return nil, false
	}
	if n.Kind != List {
		return nil, true
	}
	out := make([]Str, 0, len(n.Items))
	for _, it := range n.Items {
		out = append(out, str(it))
	}
	return out, false
}

// Describes reports whether a JSON value is shaped as container
// definitions: an object with containerDefinitions, or an array whose
// objects have a name and an image.
func Describes(root *Node) bool {
	if root == nil {
		return false
	}
	if root.Kind == Map {
		return root.Get("containerDefinitions") != nil
	}
	if root.Kind != List || len(root.Items) == 0 {
		return false
	}
	for _, it := range root.Items {
		if it.Kind == Map && it.Get("name") != nil && it.Get("image") != nil {
			return true
		}
	}
	return false
}

// Result is what Parse reads from a task-definition file.
type Result struct {
	Task     *TaskDefinition
	Problems []parsers.Problem
}

// Parse reads a task-definition file (or a container-definition array
// file). Invalid JSON gives one problem at the line reading stopped.
func Parse(f *parsers.File) *Result {
	res := &Result{}
	data := f.Bytes()
	if parsers.HasBOM(data) {
		data = data[3:]
	}
	root, prob := ParseJSON(Source{Path: f.Path, Data: data, LineShift: f.Shift.Line})
	if prob != nil {
		res.Problems = append(res.Problems, *prob)
		return res
	}
	td, probs := FromNode(root)
	res.Task, res.Problems = td, probs
	return res
}

// Sniff reports whether data looks like a task-definition file, from its
// text alone (for discovery): parsers.SniffECS, which discovery calls.
func Sniff(data []byte) bool { return parsers.SniffECS(data) }
