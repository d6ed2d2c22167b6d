package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions is the subset of Terraform's function library that can be
// evaluated without touching the machine, the network or a provider. They
// are go-cty's stdlib and hcl's tryfunc, under Terraform's names. A call to
// any other function (file, templatefile, timestamp, uuid, cidrsubnet, …)
// fails to evaluate, and its result is unknown to hoplint.
var functions = map[string]function.Function{
	"abs":             stdlib.AbsoluteFunc,
	"can":             tryfunc.CanFunc,
	"ceil":            stdlib.CeilFunc,
	"chomp":           stdlib.ChompFunc,
	"chunklist":       stdlib.ChunklistFunc,
	"coalesce":        coalesceFunc,
	"coalescelist":    stdlib.CoalesceListFunc,
	"compact":         stdlib.CompactFunc,
	"concat":          stdlib.ConcatFunc,
	"contains":        stdlib.ContainsFunc,
	"csvdecode":       stdlib.CSVDecodeFunc,
	"distinct":        stdlib.DistinctFunc,
	"element":         stdlib.ElementFunc,
	"flatten":         stdlib.FlattenFunc,
	"floor":           stdlib.FloorFunc,
	"format":          stdlib.FormatFunc,
	"formatdate":      stdlib.FormatDateFunc,
	"formatlist":      stdlib.FormatListFunc,
	"indent":          stdlib.IndentFunc,
	"index":           stdlib.IndexFunc,
	"join":            stdlib.JoinFunc,
	"jsondecode":      stdlib.JSONDecodeFunc,
	"jsonencode":      stdlib.JSONEncodeFunc,
	"keys":            stdlib.KeysFunc,
	"length":          lengthFunc,
	"log":             stdlib.LogFunc,
	"lookup":          stdlib.LookupFunc,
	"lower":           stdlib.LowerFunc,
	"max":             stdlib.MaxFunc,
	"merge":           stdlib.MergeFunc,
	"min":             stdlib.MinFunc,
	"parseint":        stdlib.ParseIntFunc,
	"pow":             stdlib.PowFunc,
	"range":           stdlib.RangeFunc,
	"regex":           stdlib.RegexFunc,
	"regexall":        stdlib.RegexAllFunc,
	"replace":         stdlib.ReplaceFunc,
	"reverse":         stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc,
	"setproduct":      stdlib.SetProductFunc,
	"setsubtract":     stdlib.SetSubtractFunc,
	"setunion":        stdlib.SetUnionFunc,
	"signum":          stdlib.SignumFunc,
	"slice":           stdlib.SliceFunc,
	"sort":            stdlib.SortFunc,
	"split":           stdlib.SplitFunc,
	"strrev":          stdlib.ReverseFunc,
	"substr":          stdlib.SubstrFunc,
	"title":           stdlib.TitleFunc,
	"tobool":          stdlib.MakeToFunc(cty.Bool),
	"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"tonumber":        stdlib.MakeToFunc(cty.Number),
	"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tostring":        stdlib.MakeToFunc(cty.String),
	"trim":            stdlib.TrimFunc,
	"trimprefix":      stdlib.TrimPrefixFunc,
	"trimspace":       stdlib.TrimSpaceFunc,
	"trimsuffix":      stdlib.TrimSuffixFunc,
	"try":             tryKeepingRefs,
	"upper":           stdlib.UpperFunc,
	"values":          stdlib.ValuesFunc,
	"zipmap":          stdlib.ZipmapFunc,
}

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string. go-cty's CoalesceFunc skips only nulls, so known
// empty strings are dropped before calling it.
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{
		Name: "vals", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowDynamicType: true, AllowNull: true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		return stdlib.CoalesceFunc.ReturnTypeForValues(dropEmptyStrings(args))
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return stdlib.CoalesceFunc.Call(dropEmptyStrings(args))
	},
})

func dropEmptyStrings(args []cty.Value) []cty.Value {
	out := make([]cty.Value, 0, len(args))
	for _, a := range args {
		if a.Type() == cty.String && a.IsKnown() && !a.IsNull() && a.AsString() == "" {
			continue
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return args
	}
	return out
}

// tryKeepingRefs is hcl's try with one difference: when the first argument
// that evaluates without error is only partly known, it returns that
// unknown value (with the references recorded on it) instead of a blank
// unknown. The value is unknown either way; keeping the marks lets hoplint
// see that try(aws_lb_target_group.this[k].arn, …) refers to a target group.
var tryKeepingRefs = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "expressions", Type: customdecode.ExpressionClosureType},
	Type: func(args []cty.Value) (cty.Type, error) {
		return tryfunc.TryFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for _, arg := range args {
			closure := customdecode.ExpressionClosureFromVal(arg)
			v, diags := closure.Value()
			if diags.HasErrors() {
				continue
			}
			if v.IsWhollyKnown() {
				return v, nil
			}
			_, marks := v.UnmarkDeep()
			return cty.DynamicVal.WithMarks(marks), nil
		}
		return tryfunc.TryFunc.Call(args)
	},
})

// unknownResult stands in for the Terraform functions hoplint does not
// evaluate: those that read files or the clock, hash, encode, compute
// network addresses, or that go-cty does not provide. Their result is
// unknown — exactly what hoplint can say — instead of an error that would
// make the whole surrounding expression (a large module input, say) unknown.
var unknownResult = function.New(&function.Spec{
	VarParam: &function.Parameter{
		Name: "args", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowDynamicType: true, AllowNull: true,
	},
	Type: function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.DynamicVal, nil },
})

func init() {
	for _, name := range []string{
		"abspath", "alltrue", "anytrue", "base64decode", "base64encode", "base64gzip", "base64sha256",
		"base64sha512", "basename", "bcrypt", "cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets",
		"dirname", "endswith", "ephemeralasnull", "file", "filebase64", "filebase64sha256",
		"filebase64sha512", "fileexists", "filemd5", "fileset", "filesha1", "filesha256", "filesha512",
		"issensitive", "matchkeys", "md5", "nonsensitive", "one", "pathexpand", "plantimestamp",
		"rsadecrypt", "sensitive", "sha1", "sha256", "sha512", "startswith", "strcontains", "sum",
		"templatefile", "templatestring", "textdecodebase64", "textencodebase64", "timeadd", "timecmp",
		"timestamp", "transpose", "type", "urlencode", "uuid", "uuidv5", "yamldecode", "yamlencode",
	} {
		if _, ok := functions[name]; !ok {
			functions[name] = unknownResult
		}
	}
}

// Hostile input must not make hoplint allocate without bound: a few
// functions can turn a small expression into gigabytes (replace with a long
// replacement, indent or format with a huge width, setproduct of large
// sets). Their calls are checked first; one that would produce more than
// maxResult is refused, and its value stays unknown.
const maxResult = 1 << 20

func guarded(f function.Function, check func(args []cty.Value) bool) function.Function {
	params := f.Params()
	return function.New(&function.Spec{
		Params:   params,
		VarParam: f.VarParam(),
		Type:     f.ReturnTypeForValues,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !check(args) {
				return cty.NilVal, errTooLarge
			}
			return f.Call(args)
		},
	})
}

var errTooLarge = fmt.Errorf("the result would be larger than hoplint evaluates")

func knownString(v cty.Value) (string, bool) {
	if v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	return v.AsString(), true
}

func knownInt(v cty.Value) (int64, bool) {
	if v.Type() != cty.Number || !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	n, _ := v.AsBigFloat().Int64()
	return n, true
}

// widthsSmall rejects format verbs with a width or precision over 4 digits.
func widthsSmall(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run > 4 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

func init() {
	functions["replace"] = guarded(stdlib.ReplaceFunc, func(a []cty.Value) bool {
		s, ok1 := knownString(a[0])
		sub, ok2 := knownString(a[1])
		rep, ok3 := knownString(a[2])
		if !ok1 || !ok2 || !ok3 || sub == "" {
			return true
		}
		return int64(len(s))+int64(strings.Count(s, sub))*int64(len(rep)) <= maxResult
	})
	functions["indent"] = guarded(stdlib.IndentFunc, func(a []cty.Value) bool {
		n, ok1 := knownInt(a[0])
		s, ok2 := knownString(a[1])
		return !ok1 || !ok2 || n < 0 || (n <= maxResult && n*int64(strings.Count(s, "\n")+1)+int64(len(s)) <= maxResult)
	})
	for _, name := range []string{"format", "formatlist"} {
		f := functions[name]
		functions[name] = guarded(f, func(a []cty.Value) bool {
			s, ok := knownString(a[0])
			return !ok || widthsSmall(s)
		})
	}
	functions["setproduct"] = guarded(stdlib.SetProductFunc, func(a []cty.Value) bool {
		total := int64(1)
		for _, v := range a {
			if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
				continue
			}
			total *= int64(v.LengthInt()) + 1
			if total > 1<<16 {
				return false
			}
		}
		return true
	})
}

// lengthFunc is Terraform's length: go-cty's stdlib counts only lists,
// maps, sets and tuples, but Terraform also counts an object's attributes
// (internal/lang/funcs/collection.go), which modules rely on
// (length(local.logConfiguration) > 0 over a merge of objects, in
// terraform-aws-modules/ecs's container-definition).
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		t := args[0].Type()
		if t == cty.String || t == cty.DynamicPseudoType || t.IsCollectionType() || t.IsTupleType() || t.IsObjectType() {
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		t := v.Type()
		switch {
		case t.IsTupleType():
			return cty.NumberIntVal(int64(len(t.TupleElementTypes()))), nil
		case t.IsObjectType():
			return cty.NumberIntVal(int64(len(t.AttributeTypes()))), nil
		case t == cty.DynamicPseudoType || !v.IsKnown():
			return cty.UnknownVal(cty.Number), nil
		case t == cty.String:
			return stdlib.Strlen(v)
		default:
			return v.Length(), nil
		}
	},
})
