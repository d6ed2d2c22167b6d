package appserver

import (
	"testing"
)

// FuzzCommands: no command line or script makes the splitter or the
// resolver panic or loop (Files nil: nothing is read).
func FuzzCommands(f *testing.F) {
	for _, s := range []string{"sh -c 'exec gunicorn -k gthread app:app'", "npm run start && node dist/main.js &", "a\\\nb; c || d | e", "'unterminated", "# comment\nexec \"$@\"", "env A=1 tini -- node -r x server.js",
		"php-fpm -F -d upload_max_filesize=1M -c", "uwsgi --ini x.ini --harakiri --limit-post 5", "java -Dspring.profiles.active= -jar", "dotnet .dll", "catalina.sh run"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = shellCommands(s)
		_ = hasBackground(s)
		_ = Identify(Process{Command: []Str{{Value: s}, {Value: s}}})
		_ = Identify(Process{Command: []Str{{Value: s}}, Image: Str{Value: "php:8-fpm"}, Runs: []Str{{Value: s}}})
	})
}

// TestImportCycleAndDepth: modules that import each other in a ring, and a
// chain longer than the bound, end the walk.
func TestImportCycleAndDepth(t *testing.T) {
	files := map[string]string{
		"package.json": `{"scripts": {"start": "node a.js"}}`,
		"a.js":         "require('./b');\nconst http = require('http');\nhttp.createServer().listen(1);\n",
		"b.js":         "require('./a');\nrequire('./c0');\n",
	}
	for i := 0; i < maxModules+50; i++ {
		files["c"+itoa(i)+".js"] = "require('./c" + itoa(i+1) + "');\n"
	}
	root := tree(t, files)
	info := Identify(Process{Command: cmd("npm", "start"), Context: ".", Files: NewFiles(root, root)})
	if info.Label != "Node.js http server" {
		t.Errorf("got %q", info.Label)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
