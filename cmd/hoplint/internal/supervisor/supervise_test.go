package supervisor

import (
	"os"
	"testing"
)

// TestStrayEnv: HOPLINT_SUPERVISED left in an environment (or set by a
// stranger) without the supervisor's pipes on descriptors 3 and 4 does not
// make a process a supervised child (TestBuiltBinary in cmd/hoplint runs
// the binary so). detect names the descriptors without wrapping them in
// an os.File, whose finalizer would close them.
func TestStrayEnv(t *testing.T) {
	for _, v := range []string{"1", "?,?", "", "0:0,0:0"} {
		t.Setenv(Env, v)
		if detect() {
			t.Errorf("%s=%q made this process a supervised child", Env, v)
		}
	}
}

// TestWithoutVar: the child's environment holds one setting of Env, the
// supervisor's.
func TestWithoutVar(t *testing.T) {
	got := WithoutVar([]string{"A=1", Env + "=x", "B=2", Env + "=y", Env + "X=3"}, Env)
	want := []string{"A=1", "B=2", Env + "X=3"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// A test binary never supervises itself from init: go test passes -test.*
// flags.
func TestTestBinary(t *testing.T) {
	if !testBinary() {
		t.Errorf("this test binary (%q) is not taken for one", os.Args)
	}
}
