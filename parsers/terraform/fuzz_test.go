package terraform

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// FuzzLoad feeds arbitrary bytes to the HCL front end as a .tf file, a
// .tfvars file and a .tf.json file of one module, and evaluates it. No
// input may panic, hang or allocate without bound. Seeds live in
// testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`resource "aws_lb" "x" { idle_timeout = 60 }`))
	f.Add([]byte(`variable "v" { default = { a = 1 } }
resource "aws_lb" "x" {
  for_each = var.v
  idle_timeout = each.value
}`))
	f.Add([]byte(`variable "n" { type = list(string) }
resource "kubernetes_deployment_v1" "d" {
  metadata { name = var.n[0] }
  spec { template { spec {
    container { name = "a"
      resources { limits = { memory = "1Gi" } }
      dynamic "env" {
        for_each = var.n
        iterator = e
        content { name = e.value }
      }
    }
  } } }
}
resource "kubernetes_manifest" "m" {
  manifest = { apiVersion = "v1", kind = "Service", metadata = merge({ name = "x" }, {}), spec = { ports = [{ port = 80 }] } }
}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			// A directory that does not exist: module calls find nothing to
			// read, and no file system work slows the fuzzer down.
			const dir = "/nonexistent/hoplint-fuzz"
			files := []*parsers.File{
				parsers.NewFile("main.tf", dir+"/main.tf", dir, parsers.FormatTerraform, data),
				parsers.NewFile("terraform.tfvars", dir+"/terraform.tfvars", dir, parsers.FormatTerraform, data),
				parsers.NewFile("x.tf.json", dir+"/x.tf.json", dir, parsers.FormatTerraform, data),
			}
			r := LoadFiles(files, Options{Open: openWithin(dir)})
			r.Validate()
		})
	})
}
