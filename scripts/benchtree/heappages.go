package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// heapPages is benchtree heappages DUMP: how full the pages are that the
// live objects of a Go heap dump (runtime/debug.WriteHeapDump; hoplint
// writes one with HOPLINT_HEAPDUMP) keep in use, per size class. A heap
// profile says how many bytes are live; it cannot say that 28 MB of
// 160-byte objects, each kept among many dropped ones of the same size,
// hold 134 MB of pages (issue 24). Pages are counted as 8 KiB runtime pages
// holding at least one live object of the class; a span of several pages
// with objects in only some of them is counted low.
func heapPages(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	classes, err := readHeapDump(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var live, pages uint64
	for _, c := range classes {
		live += c.live
		pages += c.pages()
	}
	sort.Slice(classes, func(i, j int) bool {
		return classes[i].pages()-classes[i].live > classes[j].pages()-classes[j].live
	})
	fmt.Fprintf(w, "live %.1f MB on %.1f MB of pages\n", mb(live), mb(pages))
	fmt.Fprintf(w, "%8s %9s %9s %9s %9s %5s\n", "size", "objects", "live MB", "pages MB", "empty MB", "full")
	for i, c := range classes {
		if i == 20 {
			break
		}
		fmt.Fprintf(w, "%8d %9d %9.1f %9.1f %9.1f %4.0f%%\n", c.size, c.objects, mb(c.live), mb(c.pages()), mb(c.pages()-c.live), 100*float64(c.live)/float64(c.pages()))
	}
	return nil
}

func mb(n uint64) float64 { return float64(n) / 1e6 }

const heapPage = 8192

// sizeClass is what a heap dump holds of one object size.
type sizeClass struct {
	size, objects, live uint64
	pageSet             map[uint64]bool
}

func (c *sizeClass) pages() uint64 { return uint64(len(c.pageSet)) * heapPage }

// Record tags and field kinds of the heap dump format (runtime/heapdump.go,
// "go1.7 heap dump"). Objects come after the parameters and the itabs (and
// the types those name); the reader stops at the first record after them.
const (
	dumpHeader   = "go1.7 heap dump\n"
	tagObject    = 1
	tagType      = 3
	tagParams    = 6
	tagItab      = 8
	fieldKindEol = 0
)

func readHeapDump(r *bufio.Reader) ([]*sizeClass, error) {
	hdr := make([]byte, len(dumpHeader))
	if _, err := io.ReadFull(r, hdr); err != nil || string(hdr) != dumpHeader {
		return nil, errors.New("not a Go heap dump (go1.7 format)")
	}
	var rerr error
	num := func() uint64 {
		v, err := binary.ReadUvarint(r)
		if err != nil && rerr == nil {
			rerr = err
		}
		return v
	}
	skip := func() { // a length-prefixed byte string
		if _, err := r.Discard(int(num())); err != nil && rerr == nil {
			rerr = err
		}
	}
	by := map[uint64]*sizeClass{}
	for rerr == nil {
		switch num() {
		case tagParams: // endianness, pointer size, arena start and end, GOARCH, version, CPUs
			num()
			num()
			num()
			num()
			skip()
			skip()
			num()
		case tagType: // address, size, name, kind of pointers
			num()
			num()
			skip()
			num()
		case tagItab: // address, type address
			num()
			num()
		case tagObject: // address, contents, pointer fields
			addr := num()
			size := num()
			if _, err := r.Discard(int(size)); err != nil && rerr == nil {
				rerr = err
			}
			for rerr == nil && num() != fieldKindEol {
				num()
			}
			c := by[size]
			if c == nil {
				c = &sizeClass{size: size, pageSet: map[uint64]bool{}}
				by[size] = c
			}
			c.objects++
			c.live += size
			for p := addr / heapPage; p <= (addr+max(size, 1)-1)/heapPage; p++ {
				c.pageSet[p] = true
			}
		default:
			out := make([]*sizeClass, 0, len(by))
			for _, c := range by {
				out = append(out, c)
			}
			return out, nil
		}
	}
	return nil, rerr
}
