package main

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// binSize is benchtree binsize BINARY MAINPKG: what each module adds to
// the binary (issue 24, item 5), from the sizes the symbol table gives
// every symbol, attributed to the module of its package as `go list -deps`
// names it for MAINPKG (the ELF symbol table, so a build with symbols:
// -trimpath without -s). Symbols of zero-filled sections (.bss) take no
// room in the file and are left out; runtime tables that belong to no
// package (go:func.* and the like) are printed as "(runtime tables)". The
// sum is a lower bound of the file: the pclntab, DWARF and padding are not
// symbols.
func binSize(binary, mainPkg string) error {
	list, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{with .Module}}{{.Path}}{{else}}std{{end}}", mainPkg).Output()
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	modOf := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		if pkg, mod, ok := strings.Cut(l, " "); ok {
			modOf[pkg] = mod
		}
	}
	ef, err := elf.Open(binary)
	if err != nil {
		return fmt.Errorf("%s: %w (binsize reads ELF binaries)", binary, err)
	}
	defer ef.Close()
	syms, err := ef.Symbols()
	if err != nil {
		return fmt.Errorf("%s: %w (a stripped binary has no symbols: build one with -trimpath only for this)", binary, err)
	}
	bytesBy := map[string]int64{}
	var total int64
	for _, sym := range syms {
		// Only symbols in sections the file holds: .bss and .noptrbss
		// are zero-filled at load time and take no room on disk.
		if int(sym.Section) >= len(ef.Sections) || sym.Section == elf.SHN_UNDEF {
			continue
		}
		if sec := ef.Sections[sym.Section]; sec.Type == elf.SHT_NOBITS || sym.Size == 0 {
			continue
		}
		mod := moduleOf(sym.Name, modOf)
		bytesBy[mod] += int64(sym.Size)
		total += int64(sym.Size)
	}
	type row struct {
		mod  string
		size int64
	}
	var rows []row
	for m, s := range bytesBy {
		rows = append(rows, row{m, s})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].size > rows[j].size })
	st, err := os.Stat(binary)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %.1f MB file, %.1f MB in symbols\n", binary, float64(st.Size())/1e6, float64(total)/1e6)
	for _, r := range rows {
		if r.size < 100_000 {
			continue
		}
		fmt.Printf("%8.2f MB  %5.1f%%  %s\n", float64(r.size)/1e6, 100*float64(r.size)/float64(total), r.mod)
	}
	return nil
}

// moduleOf attributes a symbol to the module of its package: the part of
// the name before the first dot after the last slash of the package path
// (github.com/a/b.(*T).M is package github.com/a/b), with the prefixes the
// linker adds (type:, go:itab., local.) taken off.
func moduleOf(sym string, modOf map[string]string) string {
	for _, p := range []string{"local.", "type:.eq.", "type:.hash.", "type:", "go:itab.", "go:link.pkghash.", "go:linkname."} {
		sym = strings.TrimPrefix(sym, p)
	}
	sym = strings.TrimLeft(sym, "*(")
	head := sym
	if i := strings.IndexAny(head, "([ ,;"); i >= 0 {
		head = head[:i]
	}
	slash := strings.LastIndex(head, "/")
	pkg := sym
	if dot := strings.Index(sym[slash+1:], "."); dot >= 0 {
		pkg = sym[:slash+1+dot]
	}
	pkg = strings.ReplaceAll(pkg, "%2e", ".")
	for p := pkg; ; {
		if m, ok := modOf[p]; ok {
			return m
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return "(runtime tables)"
		}
		p = p[:i]
	}
}
