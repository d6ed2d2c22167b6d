// Package kubernetes reads Kubernetes manifests (multi-document YAML, JSON,
// kind: List) into typed objects that keep the line and column of every
// field a rule may cite. It decodes each document once into yaml.v3 Nodes
// and builds the objects from them; nothing is decoded twice.
//
// Only the kinds hoplint reasons about are typed: the pod-template kinds,
// Service, Ingress, IngressClass, ConfigMap, LimitRange and the AWS Load
// Balancer Controller's TargetGroupBinding. Other objects (RBAC, Namespaces,
// CRDs) are recognised and left alone.
package kubernetes

import (
	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/hoplint/hoplint/parsers"
)

// Str is a scalar as written, with its range.
//
// Its fields are ordered, and Line and Col are 32 bits, so that a Str
// takes 144 bytes and not 160: a run keeps many (a one-element []Str is one
// allocation), and 160 bytes is the size class of yaml.v3's Node, of which
// each document makes thousands and drops them all; a Str kept among them
// held on to a page of dropped nodes (issue 24).
type Str struct {
	Value string
	Range parsers.Range
	// Key is the range of the mapping key, for entries of maps
	// (annotations, ConfigMap data).
	Key parsers.Range
	// Style, Line and Col locate a block scalar's text: its content starts
	// on the line after Line, indented by the block's indentation.
	Line  int32
	Col   int32
	Style yaml.Style
	// Set is false when the field is absent (or null).
	Set bool
	// Unknown: the field is written, but its value is known only when
	// Terraform applies the configuration (an object written in HCL);
	// Value is then a placeholder that equals no other value.
	Unknown bool
}

// Block reports a literal or folded block scalar ("key: |").
func (s Str) Block() bool { return s.Style == yaml.LiteralStyle || s.Style == yaml.FoldedStyle }

// Object is what every manifest object has.
type Object struct {
	File       *parsers.File
	APIVersion string
	Kind       string
	Name       string
	// Namespace as written; "" when the manifest leaves it to kubectl.
	Namespace   string
	Labels      StrMap
	Annotations StrMap
	// Range covers the whole object; NameRange its metadata.name.
	Range     parsers.Range
	NameRange parsers.Range
	// Scope is the rendered file (one kustomize build, one chart) that
	// produced the object, "" for an object written as is. Objects of two
	// overlays are alternatives, never one cluster: links stay inside a
	// scope.
	Scope string
}

// Space keys the objects that can see each other: the namespace, within
// the rendering that produced the object.
func (o *Object) Space() string {
	if o.Scope == "" {
		return o.NS()
	}
	return o.NS() + "\x00" + o.Scope
}

// Meta returns the object itself (so that every typed object satisfies Obj).
func (o *Object) Meta() *Object { return o }

// Obj is implemented by every typed object.
type Obj interface{ Meta() *Object }

// NS is the namespace the object lands in when applied without -n:
// "default" when none is written.
func (o *Object) NS() string {
	if o.Namespace == "" {
		return "default"
	}
	return o.Namespace
}

// Ref names the object as users do: "Deployment shop/web", or
// "Deployment web" when the manifest writes no namespace.
func (o *Object) Ref() string {
	if o.Namespace == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Namespace + "/" + o.Name
}

// ID is the object part of a hop ID: "Deployment/shop/web".
func (o *Object) ID() string {
	if o.Namespace == "" {
		return o.Kind + "/" + o.Name
	}
	return o.Kind + "/" + o.Namespace + "/" + o.Name
}

// Workload is any object with a pod template (Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob).
type Workload struct {
	Object
	// PodLabels and PodAnnotations are the pod template's (the object's own
	// for a bare Pod).
	PodLabels      StrMap
	PodAnnotations StrMap
	Pod            PodSpec
	// Template is the range of the pod template (the Pod itself for a Pod).
	Template parsers.Range
	// Fragment is true for a workload none of whose containers names an
	// image (or that has no containers at all): no API server accepts it,
	// so it is a piece meant to be merged into a whole object, such as a
	// kustomize patch that no kustomization in the linted tree applies.
	// What it leaves out (limits, probes, hooks) may come from the object
	// it patches, so it is not linted as a running pod.
	Fragment bool
}

// PodSpec holds the fields of a pod that hoplint reads.
type PodSpec struct {
	// Containers lists init containers first (Init set; Sidecar when
	// restartPolicy is Always), then the app containers.
	Containers []*Container
	Volumes    []Volume
	// TerminationGracePeriod is spec.terminationGracePeriodSeconds.
	TerminationGracePeriod Str
}

// Container is one container of a pod.
type Container struct {
	Name Str
	// Range is the container's entry (its first line).
	Range   parsers.Range
	Init    bool
	Sidecar bool
	Image   Str
	Command []Str
	Args    []Str
	Env     []EnvVar
	Ports   []ContainerPort
	// Resources is nil when the container has no resources: block.
	Resources    *Resources
	VolumeMounts []VolumeMount
	// PreStop is the lifecycle.preStop handler's range; zero when none.
	PreStop parsers.Range
	// PreStopSleep is the preStop sleep in seconds when the handler is a
	// plain sleep (sleep action, or exec of "sleep N"); -1 otherwise.
	PreStopSleep int
}

// EnvVar is one env entry.
type EnvVar struct {
	Name  Str
	Value Str
	// FromRef is true for valueFrom: the value is not in the manifest.
	FromRef bool
}

// ContainerPort is one entry of ports:.
type ContainerPort struct {
	Name  string
	Port  int
	Range parsers.Range
}

// VolumeMount mounts a volume into a container.
type VolumeMount struct {
	Name      string
	MountPath string
	SubPath   string
	Range     parsers.Range
}

// Volume is a pod volume; ConfigMap names the ConfigMap it projects, if any.
type Volume struct {
	Name      string
	ConfigMap string
	// Items maps ConfigMap keys to the paths they are projected at.
	Items map[string]string
	// Projected lists the ConfigMap sources of a projected volume, each
	// with its items.
	Projected []Volume
}

// Resources is a container's resources: block.
type Resources struct {
	// Range is the "resources:" key through the end of the block.
	Range    parsers.Range
	Limits   map[string]Quantity
	Requests map[string]Quantity
	// LimitsRange and RequestsRange are the "limits:"/"requests:" keys.
	LimitsRange   parsers.Range
	RequestsRange parsers.Range
}

// Quantity is a resource quantity as written and as Kubernetes reads it.
type Quantity struct {
	Raw   string
	Range parsers.Range
	// Q is valid when OK.
	Q  resource.Quantity
	OK bool
	// Unknown: known only at apply time (see Str.Unknown); never OK.
	Unknown bool
}

// Service is a v1 Service.
type Service struct {
	Object
	Type              Str
	Selector          StrMap
	Ports             []ServicePort
	LoadBalancerClass Str
	// SelectorRange is the "selector:" key.
	SelectorRange parsers.Range
}

// ServicePort is one Service port.
type ServicePort struct {
	Name string
	Port int
	// TargetPort as written: a number or a container port name; "" means
	// the same as Port.
	TargetPort string
	Range      parsers.Range
	// NodePort is the port every node opens for a NodePort or
	// LoadBalancer Service (0 when not written: Kubernetes picks one).
	NodePort      int
	NodePortRange parsers.Range
	_             nodeClassPad // a one-port Service's slice would be 160 bytes
}

// Ingress is a networking.k8s.io/v1 (or older v1beta1) Ingress.
type Ingress struct {
	Object
	// ClassName is spec.ingressClassName; ClassAnnotation the legacy
	// kubernetes.io/ingress.class annotation.
	ClassName       Str
	ClassAnnotation Str
	Backends        []Backend
	// Legacy is true for the v1beta1 API (removed in Kubernetes 1.22).
	Legacy bool
}

// Backend is a service an Ingress routes to.
type Backend struct {
	Service  string
	PortNum  int
	PortName string
	Host     string
	Path     string
	Range    parsers.Range
	// Default marks spec.defaultBackend (spec.backend in v1beta1).
	Default bool
}

// IngressClass maps a class name to its controller.
type IngressClass struct {
	Object
	Controller Str
	// IsDefault is the ingressclass.kubernetes.io/is-default-class annotation.
	IsDefault bool
}

// ConfigMap holds data entries as written.
type ConfigMap struct {
	Object
	Data StrMap
}

// LimitRange is read for its container default limits: a container
// without a memory limit gets the namespace's default.
type LimitRange struct {
	Object
	// DefaultLimits and MaxLimits are the default: and max: of its
	// type: Container items, by resource name.
	DefaultLimits map[string]Quantity
	MaxLimits     map[string]Quantity
}

// ContainerLimit is the limit of res that the LimitRange gives a container
// that sets none: default:, or max: when default: leaves res unset (the
// API server defaults the one to the other; docs/facts/kubernetes.md).
func (lr *LimitRange) ContainerLimit(res string) (q Quantity, fromMax, ok bool) {
	if q, ok := lr.DefaultLimits[res]; ok {
		return q, false, q.OK
	}
	if q, ok := lr.MaxLimits[res]; ok {
		return q, true, q.OK
	}
	return Quantity{}, false, false
}

// TargetGroupBinding (elbv2.k8s.aws) registers a Service's pods in an
// existing target group, often one made in Terraform.
type TargetGroupBinding struct {
	Object
	ServiceName    Str
	ServicePort    Str
	TargetGroupARN Str
	TargetType     Str
}

// Other is any other object, kept so that rules and links can see that it
// exists (a Namespace, an HPA).
type Other struct {
	Object
}

// Result is what Parse returns for one file.
type Result struct {
	File     *parsers.File
	Objects  []Obj
	Problems []parsers.Problem
	Comments []parsers.Comment
	// Suppressions from hoplint.dev/ignore annotations.
	Suppressions []parsers.Suppression
	// Skipped is true for a Helm template.
	Skipped bool
}

// PodContainer is one container of a workload: the typed config behind a
// container's hop.
type PodContainer struct {
	Workload  *Workload
	Container *Container
}
