//go:build !(linux || darwin)

package parsers

import "os"

// statBeforeOpen: os.Open of a FIFO would wait for a writer, so readCapped
// stats first.
const statBeforeOpen = true

// openStat opens abs for reading and stats the open file.
func openStat(abs string) (readHandle, fileKind, int64, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, 0, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, 0, err
	}
	kind := kindOther
	switch {
	case st.Mode().IsRegular():
		kind = kindRegular
	case st.IsDir():
		kind = kindDir
	}
	return f, kind, st.Size(), nil
}
