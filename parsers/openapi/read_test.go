package openapi

import (
	"errors"
	"net/url"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// TestReaderRefuses: the loader's reader, the second line of defence
// behind the blanking of remote $refs, refuses every URL and every path
// outside the root without calling the opener.
func TestReaderRefuses(t *testing.T) {
	opened := 0
	st := &state{
		spec: &Spec{File: parsers.NewFile("api.yaml", "/root/api.yaml", "/root", parsers.FormatOpenAPI, nil)},
		open: func(string) (*parsers.File, error) { opened++; return nil, errors.New("not here") },
		docs: map[string]*doc{},
	}
	for _, raw := range []string{"http://127.0.0.1:1/x.yaml", "https://example.com/x.yaml", "//example.com/x.yaml", "file:///etc/passwd", "/etc/passwd", "/root/../etc/passwd", "ftp://example.com/x"} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.read(nil, u)
		var r *errRefused
		if !errors.As(err, &r) {
			t.Errorf("%s: %v, want a refusal", raw, err)
		}
	}
	if opened != 0 {
		t.Errorf("the opener was called %d times", opened)
	}
}
