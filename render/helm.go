package render

import "github.com/hoplint/hoplint/parsers"

func (r *renderer) helm(files, charts []*parsers.File) {}
