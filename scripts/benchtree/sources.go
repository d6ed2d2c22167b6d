package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/internal/benchtree"
	"github.com/hoplint/hoplint/parsers"
)

// sourceFiles returns the files of the corpus repositories of one kind of
// source, every format hoplint reads in them, in path order, so that a
// copy of a repository lints as the repository does:
//
//   - compose: the repositories with a docker-compose file, with the
//     .env files beside their compose files (compose reads them; they are
//     not a format hoplint discovers);
//   - ecs: the repositories with an ECS task-definition file, or with
//     Terraform that defines an aws_ecs_task_definition or calls the
//     terraform-aws-modules/ecs module, outside the provider's own
//     repository (whose few ECS examples sit among thousands of files).
func sourceFiles(corpus, kind string) ([]benchtree.File, error) {
	abs, err := filepath.Abs(corpus)
	if err != nil {
		return nil, err
	}
	found, _, err := parsers.Discover([]string{abs}, parsers.DiscoverOptions{WorkDir: abs})
	if err != nil {
		return nil, err
	}
	repoOf := func(p string) string { r, _, _ := strings.Cut(p, "/"); return r }
	want := map[string]bool{}
	envs := map[string]bool{} // directories of compose files
	for _, f := range found {
		switch kind {
		case "compose":
			if f.Format == parsers.FormatCompose {
				want[repoOf(f.Path)] = true
				envs[path.Dir(f.Path)] = true
			}
		case "ecs":
			ecs := f.Format == parsers.FormatECS ||
				(f.Format == parsers.FormatTerraform && (strings.Contains(string(f.Bytes()), "aws_ecs_task_definition") || strings.Contains(string(f.Bytes()), "terraform-aws-modules/ecs")))
			if ecs && repoOf(f.Path) != "hashicorp__terraform-provider-aws" {
				want[repoOf(f.Path)] = true
			}
		default:
			return nil, fmt.Errorf("unknown source kind %q (compose or ecs)", kind)
		}
	}
	var out []benchtree.File
	for _, f := range found {
		if want[repoOf(f.Path)] {
			out = append(out, benchtree.File{Path: f.Path, Data: f.Bytes()})
		}
	}
	for dir := range envs {
		p := filepath.Join(abs, filepath.FromSlash(dir), ".env")
		if data, err := os.ReadFile(p); err == nil {
			out = append(out, benchtree.File{Path: path.Join(dir, ".env"), Data: data})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s repositories under %s", kind, corpus)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
