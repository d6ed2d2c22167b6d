package main

import (
	"context"
	"io"
	"path/filepath"
	"sync/atomic"

	cgloader "github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// composeFloor is benchtree compose-floor DIR: source-floor with each
// compose file loaded by compose-go (read, YAML-decoded, interpolated
// with every type cast, validated, normalised and turned into a
// types.Project, as `docker compose config` does) instead of decoded by
// yaml.v3. It sets only the options that decide what a project is for
// hoplint too (every profile; env_file, label files and consistency not
// resolved), and keeps compose-go's defaults for the rest. hoplint must
// load every project with compose-go (issue 21), so this is the least a
// run that uses the mandated libraries costs; bench.sh part 1b prints
// hoplint's ratio to it beside the ratio to the bare parsers' floor. Each
// compose file is a project of its own; nothing is fetched (no remote
// resource loader is given).
func composeFloor(dir string) (loaded, failed int, err error) {
	files, _, err := parsers.Discover([]string{dir}, parsers.DiscoverOptions{})
	if err != nil {
		return 0, 0, err
	}
	// compose-go warns through logrus (unset variables, the obsolete
	// version key); hoplint discards those lines, and so does the floor.
	logrus.SetOutput(io.Discard)
	var ok, bad atomic.Int64
	topology.ParallelEach(files, func(_ int, f *parsers.File) {
		switch {
		case f.Format != parsers.FormatCompose:
			parseBare(f)
		case loadCompose(f):
			ok.Add(1)
		default:
			bad.Add(1)
		}
	})
	return int(ok.Load()), int(bad.Load()), nil
}

func loadCompose(f *parsers.File) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	dir := filepath.Dir(f.Abs)
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: f.Abs, Content: f.Bytes()}},
		Environment: types.Mapping{},
	}
	name := cgloader.NormalizeProjectName(filepath.Base(dir))
	if name == "" {
		name = "project"
	}
	_, err := cgloader.LoadWithContext(context.Background(), details, func(o *cgloader.Options) {
		o.SetProjectName(name, true)
		o.Profiles = []string{"*"}
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.SkipConsistencyCheck = true
	})
	return err == nil
}
