package node

import (
	"reflect"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func TestParseModuleImports(t *testing.T) {
	for name, c := range map[string]struct {
		src  string
		want []string
	}{
		// A file with no server setting is still read for its imports.
		"index.js": {"require('dotenv').config();\nconst app = require('./app');\nrequire('../lib/db.js');\nrequire('./app');\n", []string{"./app", "../lib/db.js"}},
		"main.ts": {"import { NestFactory } from '@nestjs/core';\nimport type { Cfg } from './cfg';\nimport { AppModule } from './app.module';\nexport * from './util';\nconst x: Cfg = {} as Cfg;\nNestFactory.create(AppModule);\n",
			// esbuild drops the type-only import.
			[]string{"./app.module", "./util"}},
		"plain.js": {"console.log('no imports')\n", nil},
	} {
		r := ParseModule(parsers.NewFile(name, "/x/"+name, "/x", "", []byte(c.src)))
		if !reflect.DeepEqual(r.Imports, c.want) {
			t.Errorf("%s: imports %q, want %q", name, r.Imports, c.want)
		}
	}
	// A file that is not JavaScript and names no server setting gives no
	// problem (its imports are not followed).
	if r := ParseModule(parsers.NewFile("bad.js", "/x/bad.js", "/x", "", []byte("import x from './y'\n<<<>>>\n"))); len(r.Problems) != 0 || r.Imports != nil {
		t.Errorf("bad.js: %+v", r)
	}
}
