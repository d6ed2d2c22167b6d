package parsers

import (
	"bytes"
	"errors"
	"os"
)

// errNotRegular is returned for a FIFO, socket or device: reading one could
// block forever or never end.
var errNotRegular = errors.New("not a regular file (a FIFO, socket or device); hoplint reads only regular files")

// checkRegular refuses anything but a regular file (after symlinks) without
// opening it.
func checkRegular(abs string) error {
	st, err := os.Stat(abs)
	if err != nil {
		return errors.New("cannot read: " + unwrapPathError(err))
	}
	if st.IsDir() {
		return errors.New("is a directory")
	}
	if !st.Mode().IsRegular() {
		return errNotRegular
	}
	return nil
}

// utf8BOM is the byte-order mark some Windows editors put at the start of a
// UTF-8 file.
var utf8BOM = []byte("\xef\xbb\xbf")

// HasBOM reports whether data starts with a UTF-8 byte-order mark.
func HasBOM(data []byte) bool { return bytes.HasPrefix(data, utf8BOM) }

// stripBOM drops a leading UTF-8 byte-order mark from data that is YAML or
// JSON (YAML 1.2 and RFC 8259 let readers ignore it), so that the mark
// neither hides a manifest from classification nor shifts columns on line
// 1. nginx and httpd configurations keep theirs: nginx rejects the file
// ("unknown directive"), and its parser reports that.
func stripBOM(data []byte) []byte {
	if !HasBOM(data) {
		return data
	}
	rest := data[len(utf8BOM):]
	if f := classifyStructured(rest); f == FormatKubernetes || f == FormatOpenAPI {
		return rest
	}
	return data
}

func binaryProblem(rel string) Problem {
	return Problem{Kind: ProblemParse, Range: Range{File: rel, Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}},
		Message: "this looks like a binary file (it contains NUL bytes), not configuration; hoplint did not read it"}
}
